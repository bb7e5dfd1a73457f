import { CLOCK_SKEW_MS } from '../clock.js';
import { sameBytes, type CryptoProvider } from '../crypto.js';
import { OID } from '../oids.js';
import type { Certificate } from './certificate.js';
import { parseCrl, type Crl } from './crl.js';
import { answerFor, keyHash, parseOcspResponse, type OcspResponse } from './ocsp.js';
import { issuedBy } from './chain.js';
import { signedBy } from './signed-by.js';

// Revocation status of a certificate at a time, from every CRL and OCSP response at hand (the
// PDF's DSS, the CMS, the trust store's, the reader's), weighed together so that their order
// cannot matter: a revocation at or before that time shown by any validly signed piece stands;
// "good" counts only from data issued at or after that time (data issued earlier cannot speak
// for a moment after it); anything else is unknown, and unknown is never good.

export interface RevocationSources {
  crls: Crl[];
  ocsps: OcspResponse[];
}

/** The CRL or OCSP response a status was read from, and a phrase for it. */
export interface Evidence {
  source: string;
  /** When the data was issued: a CRL's thisUpdate, an OCSP answer's thisUpdate. */
  issued: Date;
  crl?: Crl;
  ocsp?: OcspResponse;
}

export type Status =
  | ({ status: 'good'; revokedLater?: Date } & Evidence)
  | ({ status: 'revoked'; at: Date } & Evidence)
  | {
      status: 'unknown';
      reason: string;
      /** The newest data there was, when all of it was issued before the time asked about. */
      stale?: Evidence;
    };

/** One validly signed statement about a certificate: not revoked as of `issued`, or revoked at `revokedAt`. */
interface Statement extends Evidence {
  revokedAt?: Date;
  /** When its issuer promised the next statement. */
  nextUpdate?: Date;
}

/**
 * Which data may say "good" at a time: only data issued at or after it (the rule docprov
 * judges by), or also data current then (thisUpdate <= time <= nextUpdate: X.509's own reading,
 * used only to tell a reader that a verdict waits for the CA's next data).
 */
export type Freshness = 'issued-after' | 'current-at';

/** Parses what a DSS or CMS carries, each distinct item once; what cannot be read is counted. */
export function revocationSources(
  crls: Uint8Array[],
  ocsps: Uint8Array[],
  crypto: CryptoProvider,
): RevocationSources & { unreadable: number } {
  let unreadable = 0;
  const parsed: Crl[] = [];
  for (const d of distinct(crls))
    try {
      parsed.push(parseCrl(d));
    } catch {
      unreadable++;
    }
  const responses: OcspResponse[] = [];
  for (const d of distinct(ocsps))
    try {
      responses.push(parseOcspResponse(d, crypto));
    } catch {
      unreadable++;
    }
  return { crls: parsed, ocsps: responses, unreadable };
}

/** Byte strings, each once (a DSS may reference one object a thousand times). */
export function distinct(items: readonly Uint8Array[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  const seen = new Map<string, Uint8Array[]>();
  for (const d of items) {
    const key = `${d.length}:${d.subarray(0, 32).join(',')}:${d.subarray(-32).join(',')}`;
    const same = seen.get(key) ?? [];
    if (same.some((x) => sameBytes(x, d))) continue;
    same.push(d);
    seen.set(key, same);
    out.push(d);
  }
  return out;
}

const day = (d: Date) => d.toISOString();

// A response's or CRL's signature is checked once per issuer, however many certificates ask.
const crlVerdicts = new WeakMap<Crl, WeakMap<Certificate, Promise<boolean>>>();
const ocspVerdicts = new WeakMap<OcspResponse, WeakMap<Certificate, Promise<boolean>>>();
function once<K extends object>(
  cache: WeakMap<K, WeakMap<Certificate, Promise<boolean>>>,
  key: K,
  issuer: Certificate,
  check: () => Promise<boolean>,
): Promise<boolean> {
  let byIssuer = cache.get(key);
  if (!byIssuer) cache.set(key, (byIssuer = new WeakMap()));
  let p = byIssuer.get(issuer);
  if (!p) byIssuer.set(issuer, (p = check()));
  return p;
}

async function fromCrls(
  cert: Certificate,
  issuer: Certificate,
  src: RevocationSources,
  crypto: CryptoProvider,
): Promise<Statement[]> {
  const out: Statement[] = [];
  for (const crl of src.crls) {
    if (crl.partial || crl.unknownCritical.length || !sameBytes(crl.issuerDer, cert.issuerDer))
      continue;
    if (issuer.keyUsage.present && !issuer.keyUsage.crlSign) continue;
    // A CRL speaks only as its issuer: one signed outside the issuer's validity says nothing.
    if (crl.thisUpdate < issuer.notBefore || crl.thisUpdate > issuer.notAfter) continue;
    const valid = await once(crlVerdicts, crl, issuer, () =>
      signedBy(crypto, issuer, crl.tbs, crl.der, crl.signatureAlgorithm, crl.signatureValue),
    );
    if (!valid) continue;
    const revokedAt = crl.revoked.get(cert.serial);
    out.push({
      source: `the CRL of "${crl.issuer}" issued ${day(crl.thisUpdate)}`,
      issued: crl.thisUpdate,
      crl,
      ...(crl.nextUpdate ? { nextUpdate: crl.nextUpdate } : {}),
      ...(revokedAt ? { revokedAt } : {}),
    });
  }
  return out;
}

/** Whether an OCSP response was signed by the issuer, or by a responder it delegated (ocspSigning). */
async function responderSigned(
  r: OcspResponse,
  issuer: Certificate,
  pool: readonly Certificate[],
  src: RevocationSources,
  crypto: CryptoProvider,
  depth: number,
): Promise<boolean> {
  // The signer of a response must be valid when it produced it and at every time it answers
  // for (RFC 6960 4.2.2.2): both dates are its own word, so neither alone may place it.
  const times = [r.producedAt, ...r.answers.map((a) => a.thisUpdate)];
  const latest = new Date(Math.max(...times.map((t) => t.getTime())));
  const validThen = (c: Certificate) => times.every((t) => t >= c.notBefore && t <= c.notAfter);
  const responders = [issuer, ...r.certificates, ...pool].filter(
    (c) =>
      (r.responderName && sameBytes(c.subjectDer, r.responderName)) ||
      (r.responderKeyHash && sameBytes(keyHash(c, crypto, 'SHA-1'), r.responderKeyHash)),
  );
  for (const c of responders) {
    const delegated = c !== issuer && !sameBytes(c.der, issuer.der);
    if (!validThen(c)) continue;
    if (
      delegated &&
      (depth > 0 ||
        !c.extKeyUsage.includes(OID.ocspSigning) ||
        !(await issuedBy(c, issuer, crypto)))
    )
      continue;
    // A delegated responder shown revoked (by a CRL, or by its issuer's own OCSP answer) at or
    // before any time it speaks of answers for nobody (RFC 6960 4.2.2.2.1).
    if (delegated) {
      const about = [
        ...(await fromCrls(c, issuer, src, crypto)),
        ...(await fromOcsp(c, issuer, pool, src, crypto, depth + 1)),
      ];
      if (about.some((s) => s.revokedAt !== undefined && s.revokedAt <= latest)) continue;
    }
    if (await signedBy(crypto, c, r.tbs, r.bytes, r.signatureAlgorithm, r.signatureValue))
      return true;
  }
  return false;
}

async function fromOcsp(
  cert: Certificate,
  issuer: Certificate,
  pool: readonly Certificate[],
  src: RevocationSources,
  crypto: CryptoProvider,
  depth = 0,
): Promise<Statement[]> {
  const out: Statement[] = [];
  for (const r of src.ocsps) {
    // An answer dated after its response was produced is dated ahead: it counts for nothing.
    const answers = r.answers.filter(
      (x) =>
        x.status !== 'unknown' &&
        x.thisUpdate.getTime() <= r.producedAt.getTime() + CLOCK_SKEW_MS &&
        answerFor(x, cert, issuer, crypto),
    );
    if (answers.length === 0) continue;
    // About a responder itself (depth 1), only the issuer's own signature counts.
    const signed =
      depth === 0
        ? await once(ocspVerdicts, r, issuer, () =>
            responderSigned(r, issuer, pool, src, crypto, 0),
          )
        : await responderSigned(r, issuer, pool, src, crypto, depth);
    if (!signed) continue;
    for (const a of answers)
      out.push({
        source: `an OCSP response produced ${day(r.producedAt)}`,
        issued: a.thisUpdate,
        ocsp: r,
        ...(a.nextUpdate ? { nextUpdate: a.nextUpdate } : {}),
        ...(a.status === 'revoked' && a.revokedAt ? { revokedAt: a.revokedAt } : {}),
      });
  }
  return out;
}

const evidence = ({ source, issued, crl, ocsp }: Statement): Evidence => ({
  source,
  issued,
  ...(crl ? { crl } : {}),
  ...(ocsp ? { ocsp } : {}),
});

/** The status of `cert` (issued by `issuer`) at `at`, from all of the data together. */
export async function revocationStatus(
  cert: Certificate,
  issuer: Certificate,
  at: Date,
  pool: readonly Certificate[],
  src: RevocationSources,
  crypto: CryptoProvider,
  freshness: Freshness = 'issued-after',
): Promise<Status> {
  // No exemption here for id-pkix-ocsp-nocheck: it spares an OCSP responder's own certificate
  // (RFC 6960 4.2.2.2.1), and the certificates judged here sign documents, timestamps or
  // certificates: a revoked signer that carries it is still revoked.
  const all = [
    ...(await fromOcsp(cert, issuer, pool, src, crypto)),
    ...(await fromCrls(cert, issuer, src, crypto)),
  ];
  // The earliest revocation any of them shows, wherever it stands in the data.
  const revocations = all
    .filter((s) => s.revokedAt !== undefined)
    .sort((a, b) => a.revokedAt!.getTime() - b.revokedAt!.getTime());
  const first = revocations[0];
  if (first && first.revokedAt! <= at)
    return { status: 'revoked', at: first.revokedAt!, ...evidence(first) };
  const speaksFor = (s: Statement) =>
    s.issued >= at ||
    (freshness === 'current-at' && (s.nextUpdate === undefined || at <= s.nextUpdate));
  const fresh = all.filter(speaksFor).sort((a, b) => a.issued.getTime() - b.issued.getTime())[0];
  if (fresh)
    return {
      status: 'good',
      ...evidence(fresh),
      ...(first ? { revokedLater: first.revokedAt! } : {}),
    };
  const newest = all.sort((a, b) => b.issued.getTime() - a.issued.getTime())[0];
  return newest
    ? {
        status: 'unknown',
        reason: `the newest revocation data for "${cert.subject}", ${newest.source}, was issued before ${day(at)}, so it cannot show the certificate was not revoked then`,
        stale: evidence(newest),
      }
    : {
        status: 'unknown',
        reason: `there is no CRL or OCSP response for "${cert.subject}" from its issuer`,
      };
}
