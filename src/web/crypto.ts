import type { CryptoProvider, SignatureScheme } from '../core/crypto.js';
import { plain } from './bytes.js';
import { derToRaw } from './ecdsa-raw.js';
import { webHasher } from './hash.js';
import { HASH_OIDS, keyFacts, type KeyFacts } from './spki.js';

// WebCrypto behind the core's seam: what the CLI's node:crypto provider accepts, this accepts,
// and nothing more (a parity test runs every corpus file through both).

const subtle = (): SubtleCrypto => globalThis.crypto.subtle;

async function verifyWith(
  facts: KeyFacts,
  scheme: SignatureScheme,
  data: Uint8Array,
  signature: Uint8Array,
): Promise<boolean> {
  const hash = { name: scheme.hash };
  if (scheme.kind === 'ecdsa') {
    if (facts.kind !== 'ec') return false;
    const params = { name: 'ECDSA', namedCurve: facts.curve };
    const key = await subtle().importKey('spki', plain(facts.spki), params, false, ['verify']);
    const raw = plain(derToRaw(signature, facts.size));
    return subtle().verify({ name: 'ECDSA', hash }, key, raw, plain(data));
  }
  if (facts.kind !== 'rsa') return false;
  if (scheme.kind === 'rsa-pkcs1') {
    // OpenSSL refuses PKCS#1 v1.5 with an RSASSA-PSS key, and a signature of the wrong length.
    if (facts.pss || signature.length !== facts.modulusBytes) return false;
    const params = { name: 'RSASSA-PKCS1-v1_5', hash };
    const key = await subtle().importKey('spki', plain(facts.spki), params, false, ['verify']);
    return subtle().verify(params, key, plain(signature), plain(data));
  }
  const p = facts.pss;
  if (p?.restricted && (HASH_OIDS[p.hash] !== scheme.hash || scheme.saltLength < p.minSalt))
    return false;
  if (signature.length > facts.modulusBytes) return false;
  // OpenSSL reads a PSS signature shorter than the modulus as if left-padded with zeros.
  const padded = new Uint8Array(facts.modulusBytes);
  padded.set(signature, facts.modulusBytes - signature.length);
  const key = await subtle().importKey(
    'spki',
    plain(facts.spki),
    { name: 'RSA-PSS', hash },
    false,
    ['verify'],
  );
  return subtle().verify(
    { name: 'RSA-PSS', saltLength: scheme.saltLength },
    key,
    padded,
    plain(data),
  );
}

export const webCrypto: CryptoProvider = {
  createHash: (algorithm) => webHasher(algorithm),
  async verify(spki, scheme, data, signature) {
    try {
      return await verifyWith(keyFacts(spki), scheme, data, signature);
    } catch {
      return false;
    }
  },
};
