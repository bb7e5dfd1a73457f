import { OID } from '../oids.js';
import { attribute, findSigner, parseSignedData } from '../cms/signed-data.js';
import { sameBytes, type CryptoProvider } from '../crypto.js';
import { findSignatureDicts } from '../pdf/signature-dict.js';
import { memorySource } from '../pdf/source.js';
import { readXrefChain } from '../pdf/xref.js';
import type { Certificate } from '../pki/certificate.js';
import { buildChain } from '../pki/chain.js';
import { parseCrl } from '../pki/crl.js';
import { parseOcspResponse } from '../pki/ocsp.js';
import { revocationStatus, type RevocationSources } from '../pki/revocation.js';
import { tokenBytes, tstTime } from '../tsp/token.js';
import { cmsPrefix } from '../verify/signature-run.js';
import type { ValidationData } from './dss.js';

// What a PDF's signatures and timestamps need validated offline: every certificate of their
// chains (to a trust anchor, included), and revocation data for each certificate below a root.

/**
 * Every certificate the signatures and time-stamp tokens of a PDF rely on, chains completed,
 * and the time of its newest timestamp (what the revocation data must cover: a choice that
 * depends on the file alone, so regenerating unchanged artifacts gives the same DSS).
 */
export async function certificatesToValidate(
  pdf: Uint8Array,
  anchors: readonly Certificate[],
  crypto: CryptoProvider,
): Promise<{ certs: Certificate[]; newest: Date | undefined }> {
  const src = memorySource(pdf);
  const found = await findSignatureDicts(src, await readXrefChain(src));
  const leaves: { leaf: Certificate; pool: Certificate[] }[] = [];
  let newest: Date | undefined;
  const add = (der: Uint8Array) => {
    const sd = parseSignedData(der, crypto);
    const time = tstTime(sd);
    if (time && (!newest || time > newest)) newest = time;
    for (const si of sd.signerInfos) {
      const leaf = findSigner(si, sd.certificates);
      if (leaf) leaves.push({ leaf, pool: sd.certificates });
      for (const v of attribute(si.unsignedAttributes, OID.signatureTimeStampToken)?.values ?? [])
        add(tokenBytes(sd.der, v));
    }
  };
  for (const d of found) {
    if ('error' in d) continue;
    const cms = cmsPrefix(d.contents);
    if (cms) add(new Uint8Array(cms));
  }
  const out: Certificate[] = [];
  for (const { leaf, pool } of leaves) {
    const { path } = await buildChain(leaf, pool, anchors, crypto);
    for (const c of path) if (!out.some((x) => x.fingerprint === c.fingerprint)) out.push(c);
  }
  return { certs: out, newest };
}

/** The CRLs and OCSP responses, among those given, that speak for the certificates below a root. */
export async function revocationFor(
  certs: readonly Certificate[],
  given: { crls: Uint8Array[]; ocsps: Uint8Array[] },
  at: Date,
  crypto: CryptoProvider,
): Promise<{ data: ValidationData; missing: string[]; stale: string[] }> {
  const sources: RevocationSources = {
    crls: given.crls.map((d) => parseCrl(d)),
    ocsps: given.ocsps.map((d) => parseOcspResponse(d, crypto)),
  };
  const crls = new Set<Uint8Array>();
  const ocsps = new Set<Uint8Array>();
  const missing: string[] = [];
  const stale: string[] = [];
  for (const cert of certs) {
    const issuer = certs.find((c) => c !== cert && sameBytes(c.subjectDer, cert.issuerDer));
    if (!issuer) continue; // a root: trusted as it is
    // Data issued at or after `at` is what verifiers rely on; data current then is kept too
    // (the best there is, until the CA issues more), and said.
    let s = await revocationStatus(cert, issuer, at, certs, sources, crypto);
    if (s.status === 'unknown') {
      s = await revocationStatus(cert, issuer, at, certs, sources, crypto, 'current-at');
      if (s.status === 'unknown') {
        missing.push(cert.subject);
        continue;
      }
      stale.push(cert.subject);
    }
    if (s.crl) crls.add(s.crl.der);
    if (s.ocsp) ocsps.add(s.ocsp.der);
  }
  return {
    data: { certs: certs.map((c) => c.der), crls: [...crls], ocsps: [...ocsps] },
    missing,
    stale,
  };
}
