import type { CryptoProvider } from '../crypto.js';
import { sameBytes } from '../crypto.js';
import { OID } from '../oids.js';
import { keyName, keyPolicyProblem } from './algorithms.js';
import type { Certificate } from './certificate.js';
import { signedBy } from './signed-by.js';

// Path building from an end-entity certificate to a trust anchor, checking each link's
// signature, and each certificate's validity, CA constraints and key. Bounded: MAX_PATH.

const MAX_PATH = 8;
const SIGNING_EKUS = new Set<string>([
  OID.documentSigning,
  OID.emailProtection,
  OID.adobeAuthenticDocuments,
  OID.anyExtendedKeyUsage,
]);

/** Whether `issuer`'s key made the signature on `cert`. */
export const issuedBy = (cert: Certificate, issuer: Certificate, crypto: CryptoProvider) =>
  signedBy(crypto, issuer, cert.tbs, cert.der, cert.signatureAlgorithm, cert.signatureValue);

export interface ChainResult {
  path: Certificate[];
  anchor: Certificate | undefined;
  /** Why no trusted path was found, when none was. */
  untrustedReason?: string;
}

const isAnchor = (c: Certificate, anchors: readonly Certificate[]) =>
  anchors.find(
    (a) =>
      sameBytes(a.der, c.der) ||
      (sameBytes(a.subjectDer, c.subjectDer) && sameBytes(a.spki, c.spki)),
  );

/** Whether `c` can be the issuer of `cur` by name and key identifier, before any signature check. */
const mayIssue = (c: Certificate, cur: Certificate) =>
  sameBytes(c.subjectDer, cur.issuerDer) &&
  !(cur.authorityKeyId && c.subjectKeyId && !sameBytes(cur.authorityKeyId, c.subjectKeyId));

/** Certificates, each once (a file may carry one a thousand times). */
function distinctCerts(certs: readonly Certificate[]): Certificate[] {
  const seen = new Set<string>();
  return certs.filter((c) => !seen.has(c.fingerprint) && !!seen.add(c.fingerprint));
}

export async function buildChain(
  leaf: Certificate,
  pool: readonly Certificate[],
  anchors: readonly Certificate[],
  crypto: CryptoProvider,
): Promise<ChainResult> {
  const path = [leaf];
  const candidates = distinctCerts([...anchors, ...pool]);
  for (let cur = leaf; path.length <= MAX_PATH;) {
    const anchor = isAnchor(cur, anchors);
    if (anchor) return { path, anchor };
    let issuer: Certificate | undefined;
    for (const c of candidates) {
      if (c === cur || path.includes(c) || !mayIssue(c, cur)) continue;
      if (await issuedBy(cur, c, crypto)) {
        issuer = c;
        break;
      }
    }
    if (!issuer) {
      const selfSigned = sameBytes(cur.subjectDer, cur.issuerDer);
      return {
        path,
        anchor: undefined,
        untrustedReason: selfSigned
          ? `the chain ends at "${cur.subject}", a root that is not in the trust store`
          : `no certificate for the issuer "${cur.issuer}" was found, and it is not in the trust store`,
      };
    }
    path.push(issuer);
    cur = issuer;
  }
  return {
    path,
    anchor: undefined,
    untrustedReason: `the certificate chain is longer than ${MAX_PATH}`,
  };
}

export interface PathProblems {
  validity: string[];
  constraints: string[];
  /** Keys refused by policy (too short, unknown kinds). */
  keys: string[];
}

/** Problems with the certificates on a path at time `at`: validity, CA constraints, keys. */
export function pathProblems(path: readonly Certificate[], at: Date): PathProblems {
  const validity: string[] = [];
  const constraints: string[] = [];
  const keys: string[] = [];
  path.forEach((c, i) => {
    if (at < c.notBefore || at > c.notAfter)
      validity.push(
        `"${c.subject}" is valid from ${c.notBefore.toISOString()} to ${c.notAfter.toISOString()}, not at ${at.toISOString()}`,
      );
    if (c.unknownCritical.length)
      constraints.push(
        `"${c.subject}" has critical extension(s) docprov does not know (${c.unknownCritical.join(', ')})`,
      );
    const weak = keyPolicyProblem(c.key);
    if (weak) keys.push(`"${c.subject}" has ${weak}`);
    if (i > 0) {
      if (!c.isCA)
        constraints.push(`"${c.subject}" issues certificates but is not a CA (basicConstraints)`);
      if (c.keyUsage.present && !c.keyUsage.keyCertSign)
        constraints.push(`"${c.subject}" issues certificates without keyCertSign`);
      // Certificates below this one, not counting the end entity, may not exceed its pathLen.
      if (c.pathLen !== undefined && i - 1 > c.pathLen)
        constraints.push(
          `"${c.subject}" allows ${c.pathLen} intermediate(s) below it, the path has ${i - 1}`,
        );
    }
  });
  return { validity, constraints, keys };
}

/** The weakest key on a path, for the report ("RSA-3072", "ECDSA P-256"). */
export const weakestKey = (path: readonly Certificate[]): string =>
  path
    .map((c) => c.key)
    .sort((a, b) => (a.type === 'other' ? -1 : b.type === 'other' ? 1 : a.bits - b.bits))
    .map(keyName)[0] ?? 'no key';

/** Whether the signer certificate may sign documents: key usage and extended key usage. */
export function signerUsageProblem(signer: Certificate): string | undefined {
  if (
    signer.keyUsage.present &&
    !signer.keyUsage.digitalSignature &&
    !signer.keyUsage.nonRepudiation
  )
    return `"${signer.subject}" has neither digitalSignature nor nonRepudiation key usage`;
  if (signer.isCA) return `"${signer.subject}" is a CA certificate, not a signing certificate`;
  if (signer.extKeyUsage.length > 0 && !signer.extKeyUsage.some((e) => SIGNING_EKUS.has(e)))
    return `"${signer.subject}" has extended key usages (${signer.extKeyUsage.join(', ')}) that exclude document signing`;
  return undefined;
}

/** Whether a certificate may sign time-stamp tokens (RFC 3161 2.3: timeStamping, critical, alone). */
export function tsaUsageProblem(tsa: Certificate): string | undefined {
  if (!tsa.extKeyUsage.includes(OID.timeStamping))
    return `"${tsa.subject}" lacks the extended key usage timeStamping`;
  if (!tsa.extKeyUsageCritical)
    return `"${tsa.subject}" has timeStamping usage, but not marked critical (RFC 3161)`;
  if (tsa.extKeyUsage.length !== 1)
    return `"${tsa.subject}" has other extended key usages beside timeStamping (RFC 3161)`;
  if (tsa.keyUsage.present && !tsa.keyUsage.digitalSignature && !tsa.keyUsage.nonRepudiation)
    return `"${tsa.subject}" has neither digitalSignature nor nonRepudiation key usage`;
  return undefined;
}
