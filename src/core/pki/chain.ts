import { body, decodeOid, readDer, TAG, whole } from '../cms/der-reader.js';
import type { CryptoProvider, DigestAlgorithm } from '../crypto.js';
import { OID } from '../oids.js';
import type { Certificate } from './certificate.js';

// Path building from the signer to a trust anchor, checking each link's signature, and each
// certificate's validity, CA constraints and key size. Bounded: at most MAX_PATH certificates.

const MAX_PATH = 8;
export const MIN_RSA_BITS = 2048;
const CERT_SIG_ALGS: Record<string, DigestAlgorithm> = {
  [OID.sha256WithRSA]: 'SHA-256',
  [OID.sha384WithRSA]: 'SHA-384',
  [OID.sha512WithRSA]: 'SHA-512',
};
const SIGNING_EKUS = new Set<string>([
  OID.documentSigning,
  OID.emailProtection,
  OID.adobeAuthenticDocuments,
  '2.5.29.37.0',
]);

const same = (a: Uint8Array, b: Uint8Array) =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/** Whether `issuer`'s key made the signature on `cert`. */
export function signedBy(cert: Certificate, issuer: Certificate, crypto: CryptoProvider): boolean {
  try {
    const root = readDer(cert.der);
    const [tbs, alg, sig] = root.children;
    if (!tbs || !alg || !sig || sig.tag !== TAG.BIT_STRING) return false;
    const digest = CERT_SIG_ALGS[decodeOid(body(cert.der, alg.children[0]!))];
    const bits = body(cert.der, sig);
    if (!digest || bits[0] !== 0) return false;
    return crypto.verifyRsa(issuer.spki, digest, whole(cert.der, tbs), bits.subarray(1));
  } catch {
    return false;
  }
}

export interface ChainResult {
  path: Certificate[];
  anchor: Certificate | undefined;
  /** Why no trusted path was found, when none was. */
  untrustedReason?: string;
}

const isAnchor = (c: Certificate, anchors: Certificate[]) =>
  anchors.some(
    (a) => same(a.der, c.der) || (same(a.subjectDer, c.subjectDer) && same(a.spki, c.spki)),
  );

export function buildChain(
  signer: Certificate,
  pool: Certificate[],
  anchors: Certificate[],
  crypto: CryptoProvider,
): ChainResult {
  const path = [signer];
  for (let cur = signer; path.length <= MAX_PATH;) {
    if (isAnchor(cur, anchors))
      return {
        path,
        anchor:
          anchors.find((a) => same(a.subjectDer, cur.subjectDer) && same(a.spki, cur.spki)) ?? cur,
      };
    const issuer =
      anchors.find((a) => same(a.subjectDer, cur.issuerDer) && signedBy(cur, a, crypto)) ??
      pool.find(
        (c) =>
          c !== cur &&
          !path.includes(c) &&
          same(c.subjectDer, cur.issuerDer) &&
          signedBy(cur, c, crypto),
      );
    if (!issuer) {
      const selfSigned = same(cur.subjectDer, cur.issuerDer);
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

/** Problems with the certificates on a path at time `at`: validity, CA constraints, key sizes. */
export function pathProblems(
  path: Certificate[],
  at: Date,
): { validity: string[]; constraints: string[]; keySize: string[] } {
  const validity: string[] = [];
  const constraints: string[] = [];
  const keySize: string[] = [];
  path.forEach((c, i) => {
    if (at < c.notBefore || at > c.notAfter)
      validity.push(
        `"${c.subject}" is valid from ${c.notBefore.toISOString()} to ${c.notAfter.toISOString()}, not at ${at.toISOString()}`,
      );
    if (c.unknownCritical.length)
      constraints.push(
        `"${c.subject}" has critical extension(s) docprov does not know (${c.unknownCritical.join(', ')})`,
      );
    if (c.rsaBits < MIN_RSA_BITS)
      keySize.push(
        `"${c.subject}" has a ${c.rsaBits ? `RSA-${c.rsaBits}` : 'non-RSA'} key (at least RSA-${MIN_RSA_BITS} is required)`,
      );
    if (i > 0) {
      if (!c.isCA)
        constraints.push(`"${c.subject}" issues certificates but is not a CA (basicConstraints)`);
      if (c.keyUsage.present && !c.keyUsage.keyCertSign)
        constraints.push(`"${c.subject}" issues certificates without keyCertSign`);
      // Certificates below this one, not counting the signer, may not exceed its pathLen.
      if (c.pathLen !== undefined && i - 1 > c.pathLen)
        constraints.push(
          `"${c.subject}" allows ${c.pathLen} intermediate(s) below it, the path has ${i - 1}`,
        );
    }
  });
  return { validity, constraints, keySize };
}

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
