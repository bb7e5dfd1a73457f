// The one crypto seam of the core: digests (and, later, RSA) come from a provider that the edge
// injects: node:crypto in Node, WebCrypto or a JS implementation in a browser.

export type DigestAlgorithm = 'SHA-256' | 'SHA-384' | 'SHA-512';

export interface Hasher {
  update(data: Uint8Array): void;
  digest(): Uint8Array;
}

export interface CryptoProvider {
  createHash(algorithm: DigestAlgorithm): Hasher;
  /** RSASSA-PKCS1-v1_5 verification with a DER SubjectPublicKeyInfo; false for any failure. */
  verifyRsa(
    spki: Uint8Array,
    algorithm: DigestAlgorithm,
    data: Uint8Array,
    signature: Uint8Array,
  ): boolean;
}

export function digest(
  crypto: CryptoProvider,
  algorithm: DigestAlgorithm,
  data: Uint8Array,
): Uint8Array {
  const h = crypto.createHash(algorithm);
  h.update(data);
  return h.digest();
}

export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}
