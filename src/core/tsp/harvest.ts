import { attribute, parseSignedData } from '../cms/signed-data.js';
import { toHex, type CryptoProvider } from '../crypto.js';
import { OID } from '../oids.js';
import { findSignatureDicts } from '../pdf/signature-dict.js';
import { memorySource } from '../pdf/source.js';
import { readXrefChain } from '../pdf/xref.js';
import { cmsPrefix } from '../verify/signature-run.js';
import { checkTimestampToken, tokenBytes } from './token.js';

// The time-stamp tokens already published, by the imprint they stamp: regenerating unchanged
// artifacts makes the same signature values (RSA PKCS#1 v1.5 is deterministic) and the same
// document bytes, so their tokens are reused instead of asking the TSA for new ones.

/** Every CMS SignedData published in a folder: the p7s files, then each signature in the PDF. */
export async function publishedCms(files: {
  pdf?: Uint8Array;
  p7s: Uint8Array[];
}): Promise<{ der: Uint8Array; isToken: boolean }[]> {
  const out = files.p7s.map((der) => ({ der, isToken: false }));
  if (files.pdf) {
    const src = memorySource(files.pdf);
    for (const d of await findSignatureDicts(src, await readXrefChain(src))) {
      if ('error' in d) continue;
      const der = cmsPrefix(d.contents);
      if (der) out.push({ der: new Uint8Array(der), isToken: d.subFilter === 'ETSI.RFC3161' });
    }
  }
  return out;
}

export async function harvestTokens(
  files: { pdf?: Uint8Array; p7s: Uint8Array[] },
  crypto: CryptoProvider,
): Promise<Map<string, Uint8Array>> {
  const tokens: Uint8Array[] = [];
  for (const { der, isToken } of await publishedCms(files)) {
    if (isToken) tokens.push(der);
    const sd = parseSignedData(der, crypto);
    for (const si of sd.signerInfos)
      for (const v of attribute(si.unsignedAttributes, OID.signatureTimeStampToken)?.values ?? [])
        tokens.push(tokenBytes(sd.der, v));
  }
  const out = new Map<string, Uint8Array>();
  for (const t of tokens) {
    const f = await checkTimestampToken(t, crypto);
    if (f.ok && f.tst.hash === 'SHA-256') out.set(toHex(f.tst.imprint), t);
  }
  return out;
}
