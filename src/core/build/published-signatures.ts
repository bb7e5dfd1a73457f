import type { Signer } from '../cms/build.js';
import { findSigner, parseSignedData } from '../cms/signed-data.js';
import { sameBytes, toHex, type CryptoProvider } from '../crypto.js';
import { publishedCms } from '../tsp/harvest.js';
import { pae, parseEnvelope } from '../provenance/dsse.js';

// Reproducible regeneration with a randomised signer. RSA PKCS#1 v1.5 and RFC 6979 ECDSA give
// the same signature value over the same signed attributes, but RSA-PSS and a token's ECDSA do
// not: each run would make a new value, so new bytes and new timestamps. A signature value the
// same key already published over exactly the same signed attributes is as good as a new one
// (it verifies, and it was made by this key), so regenerating reuses it: unchanged content keeps
// its bytes and its timestamps whatever the scheme.

/** Published signature values by the signed attributes they cover, for this signer's key only. */
export async function publishedSignatures(
  files: { pdf?: Uint8Array; p7s: Uint8Array[]; envelopes?: Uint8Array[] },
  signer: Signer,
  crypto: CryptoProvider,
): Promise<Map<string, Uint8Array>> {
  const ours = signer.chain[0]!;
  const out = new Map<string, Uint8Array>();
  for (const { der, isToken } of await publishedCms(files)) {
    if (isToken) continue;
    const sd = parseSignedData(der, crypto);
    for (const si of sd.signerInfos) {
      const cert = findSigner(si, sd.certificates);
      const attrs = si.signedAttributes?.bytes;
      // Only what this key signed, checked with this key and this scheme: nothing else is reused.
      if (!attrs || !cert || !sameBytes(cert.spki, ours.spki)) continue;
      if (await crypto.verify(ours.spki, signer.scheme, attrs, si.signature))
        out.set(toHex(attrs), si.signature);
    }
  }
  // The provenance envelope (DSSE): its signature over the PAE of the same statement.
  for (const bytes of files.envelopes ?? []) {
    const env = parseEnvelope(bytes);
    if (typeof env === 'string') continue;
    const data = pae(env.payloadType, env.payload);
    for (const s of env.signatures)
      if (await crypto.verify(ours.spki, signer.scheme, data, s.sig)) out.set(toHex(data), s.sig);
  }
  return out;
}

/** The signer, answering from `published` where it already signed exactly these bytes. */
export function reusingSigner(signer: Signer, published: Map<string, Uint8Array>): Signer {
  if (published.size === 0) return signer;
  return { ...signer, sign: (data) => published.get(toHex(data)) ?? signer.sign(data) };
}
