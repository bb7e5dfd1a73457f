import { sameBytes, type CryptoProvider } from '../crypto.js';
import { OID } from '../oids.js';
import type { Certificate } from './certificate.js';
import { parseCrl, type Crl } from './crl.js';
import { answerFor, keyHash, parseOcspResponse, type OcspResponse } from './ocsp.js';
import { issuedBy } from './chain.js';
import { signedBy } from './signed-by.js';

// Revocation status of a certificate at a time, from the CRLs and OCSP responses at hand (the
// PDF's DSS, the CMS): offline, and only from data whose signature checks out. A certificate
// revoked after that time was good at it; data that expired before that time says nothing.

export interface RevocationSources {
  crls: Crl[];
  ocsps: OcspResponse[];
}

/** The CRL or OCSP response a status was read from, and a phrase for it. */
export interface Evidence {
  source: string;
  crl?: Crl;
  ocsp?: OcspResponse;
}

export type Status =
  | ({ status: 'good'; revokedLater?: Date } & Evidence)
  | ({ status: 'revoked'; at: Date } & Evidence)
  | { status: 'unknown'; reason: string };

/** Parses what a DSS or CMS carries; what cannot be read is left out and counted. */
export function revocationSources(
  crls: Uint8Array[],
  ocsps: Uint8Array[],
  crypto: CryptoProvider,
): RevocationSources & { unreadable: number } {
  let unreadable = 0;
  const parsed: Crl[] = [];
  for (const d of crls)
    try {
      parsed.push(parseCrl(d));
    } catch {
      unreadable++;
    }
  const responses: OcspResponse[] = [];
  for (const d of ocsps)
    try {
      responses.push(parseOcspResponse(d, crypto));
    } catch {
      unreadable++;
    }
  return { crls: parsed, ocsps: responses, unreadable };
}

const usable = (thisUpdate: Date, nextUpdate: Date | undefined, at: Date) =>
  thisUpdate >= at || nextUpdate === undefined || at <= nextUpdate;

const day = (d: Date) => d.toISOString();

async function fromCrls(
  cert: Certificate,
  issuer: Certificate,
  at: Date,
  src: RevocationSources,
  crypto: CryptoProvider,
): Promise<Status | undefined> {
  for (const crl of src.crls) {
    if (crl.partial || crl.unknownCritical.length || !sameBytes(crl.issuerDer, cert.issuerDer))
      continue;
    if (!usable(crl.thisUpdate, crl.nextUpdate, at)) continue;
    if (issuer.keyUsage.present && !issuer.keyUsage.crlSign) continue;
    if (
      !(await signedBy(
        crypto,
        issuer,
        crl.tbs,
        crl.der,
        crl.signatureAlgorithm,
        crl.signatureValue,
      ))
    )
      continue;
    const revokedAt = crl.revoked.get(cert.serial);
    const source = `the CRL of "${crl.issuer}" issued ${day(crl.thisUpdate)}`;
    if (revokedAt && revokedAt <= at) return { status: 'revoked', at: revokedAt, source, crl };
    return { status: 'good', source, crl, ...(revokedAt ? { revokedLater: revokedAt } : {}) };
  }
  return undefined;
}

async function fromOcsp(
  cert: Certificate,
  issuer: Certificate,
  at: Date,
  pool: readonly Certificate[],
  src: RevocationSources,
  crypto: CryptoProvider,
): Promise<Status | undefined> {
  for (const r of src.ocsps) {
    const a = r.answers.find((x) => answerFor(x, cert, issuer, crypto));
    if (!a || a.status === 'unknown' || !usable(a.thisUpdate, a.nextUpdate, at)) continue;
    // Signed by the issuer itself, or by a responder the issuer delegated (ocspSigning).
    const responders = [issuer, ...r.certificates, ...pool].filter(
      (c) =>
        (r.responderName && sameBytes(c.subjectDer, r.responderName)) ||
        (r.responderKeyHash && sameBytes(keyHash(c, crypto, 'SHA-1'), r.responderKeyHash)),
    );
    let ok = false;
    for (const c of responders) {
      const delegated = c !== issuer && !sameBytes(c.der, issuer.der);
      if (
        delegated &&
        (!c.extKeyUsage.includes(OID.ocspSigning) || !(await issuedBy(c, issuer, crypto)))
      )
        continue;
      if (await signedBy(crypto, c, r.tbs, r.bytes, r.signatureAlgorithm, r.signatureValue)) {
        ok = true;
        break;
      }
    }
    if (!ok) continue;
    const source = `an OCSP response produced ${day(r.producedAt)}`;
    if (a.status === 'revoked' && a.revokedAt! <= at)
      return { status: 'revoked', at: a.revokedAt!, source, ocsp: r };
    return {
      status: 'good',
      source,
      ocsp: r,
      ...(a.revokedAt ? { revokedLater: a.revokedAt } : {}),
    };
  }
  return undefined;
}

/** The status of `cert` (issued by `issuer`) at `at`. */
export async function revocationStatus(
  cert: Certificate,
  issuer: Certificate,
  at: Date,
  pool: readonly Certificate[],
  src: RevocationSources,
  crypto: CryptoProvider,
): Promise<Status> {
  if (cert.ocspNoCheck)
    return { status: 'good', source: 'its id-pkix-ocsp-nocheck extension (an OCSP responder)' };
  return (
    (await fromOcsp(cert, issuer, at, pool, src, crypto)) ??
    (await fromCrls(cert, issuer, at, src, crypto)) ?? {
      status: 'unknown',
      reason: `no CRL or OCSP response for "${cert.subject}" that covers ${day(at)}`,
    }
  );
}
