// The one crypto seam of the core: the edge injects a provider (node:crypto in Node; WebCrypto
// and a JS hash in a browser). Digests are synchronous (they stream); signature checks are
// asynchronous, because WebCrypto's are.

export type DigestAlgorithm = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';

/** How a signature value is checked. ECDSA values are the DER (r, s) SEQUENCE that CMS carries. */
export type SignatureScheme =
  | { kind: 'rsa-pkcs1'; hash: DigestAlgorithm }
  | { kind: 'rsa-pss'; hash: DigestAlgorithm; saltLength: number }
  | { kind: 'ecdsa'; hash: DigestAlgorithm };

/**
 * A verification that would cost more than its budget (see verify/budget.ts). It must never be
 * swallowed as "this signature does not verify": it ends the verification with a refusal.
 */
export class CostError extends Error {
  readonly code = 'too-costly';
}

export interface Hasher {
  update(data: Uint8Array): void;
  digest(): Uint8Array;
  /**
   * The same digest, where a provider has a faster asynchronous one (WebCrypto's digest is
   * one-shot and native: a browser hashes a large file ~10x faster with it than in JavaScript).
   */
  digestAsync?(): Promise<Uint8Array>;
}

/** A hasher's digest, through its faster asynchronous form where it has one. */
export const finish = (h: Hasher): Promise<Uint8Array> =>
  h.digestAsync ? h.digestAsync() : Promise.resolve(h.digest());

export interface CryptoProvider {
  createHash(algorithm: DigestAlgorithm): Hasher;
  /** Checks `signature` over `data` with a DER SubjectPublicKeyInfo; false for any failure. */
  verify(
    spki: Uint8Array,
    scheme: SignatureScheme,
    data: Uint8Array,
    signature: Uint8Array,
  ): Promise<boolean>;
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

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
