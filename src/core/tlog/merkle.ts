import { digest, sameBytes, type CryptoProvider } from '../crypto.js';

// The Merkle tree of RFC 9162 (section 2.1, as RFC 6962): leaf hashes SHA-256(0x00 || data),
// node hashes SHA-256(0x01 || left || right), proofs and their checks as the RFC writes them.
// Trees are given as their leaf hashes; every function is linear in the tree at most.

export type Hash = Uint8Array;

export function leafHash(crypto: CryptoProvider, data: Uint8Array): Hash {
  const b = new Uint8Array(data.length + 1);
  b.set(data, 1);
  return digest(crypto, 'SHA-256', b);
}

export function nodeHash(crypto: CryptoProvider, left: Hash, right: Hash): Hash {
  const b = new Uint8Array(65);
  b[0] = 1;
  b.set(left, 1);
  b.set(right, 33);
  return digest(crypto, 'SHA-256', b);
}

/** The largest power of two smaller than n (n > 1). */
const split = (n: number): number => {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
};

/** MTH(D[from:to]) over leaf hashes. */
export function rootOf(
  crypto: CryptoProvider,
  leaves: readonly Hash[],
  from = 0,
  to = leaves.length,
): Hash {
  const n = to - from;
  if (n === 0) return digest(crypto, 'SHA-256', new Uint8Array(0));
  if (n === 1) return leaves[from]!;
  const k = split(n);
  return nodeHash(
    crypto,
    rootOf(crypto, leaves, from, from + k),
    rootOf(crypto, leaves, from + k, to),
  );
}

/** PATH(m, D[n]): the inclusion proof of leaf `index` in the tree of the first `size` leaves. */
export function inclusionProof(
  crypto: CryptoProvider,
  leaves: readonly Hash[],
  index: number,
  size: number,
): Hash[] {
  if (!(index >= 0 && index < size && size <= leaves.length)) throw new RangeError('no such leaf');
  const path = (m: number, from: number, to: number): Hash[] => {
    if (to - from <= 1) return [];
    const k = split(to - from);
    return m < k
      ? [...path(m, from, from + k), rootOf(crypto, leaves, from + k, to)]
      : [...path(m - k, from + k, to), rootOf(crypto, leaves, from, from + k)];
  };
  return path(index, 0, size);
}

/** PROOF(m, D[n]): the consistency proof from the tree of `m` leaves to the tree of `n`. */
export function consistencyProof(
  crypto: CryptoProvider,
  leaves: readonly Hash[],
  m: number,
  n: number,
): Hash[] {
  if (!(m > 0 && m <= n && n <= leaves.length)) throw new RangeError('no such trees');
  const sub = (m: number, from: number, to: number, whole: boolean): Hash[] => {
    if (m === to - from) return whole ? [] : [rootOf(crypto, leaves, from, to)];
    const k = split(to - from);
    return m <= k
      ? [...sub(m, from, from + k, whole), rootOf(crypto, leaves, from + k, to)]
      : [...sub(m - k, from + k, to, false), rootOf(crypto, leaves, from, from + k)];
  };
  return sub(m, 0, n, true);
}

/** RFC 9162 section 2.1.3.2: whether `proof` proves `leaf` at `index` in the tree with `root`. */
export function verifyInclusion(
  crypto: CryptoProvider,
  index: number,
  size: number,
  leaf: Hash,
  proof: readonly Hash[],
  root: Hash,
): boolean {
  if (!(Number.isSafeInteger(index) && Number.isSafeInteger(size) && index >= 0 && index < size))
    return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(crypto, p, r);
      if (fn % 2 === 0)
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
    } else r = nodeHash(crypto, r, p);
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && sameBytes(r, root);
}

/** RFC 9162 section 2.1.4.2: whether `proof` proves the tree (m, oldRoot) a prefix of (n, newRoot). */
export function verifyConsistency(
  crypto: CryptoProvider,
  m: number,
  n: number,
  oldRoot: Hash,
  newRoot: Hash,
  proof: readonly Hash[],
): boolean {
  if (!(Number.isSafeInteger(m) && Number.isSafeInteger(n) && m > 0 && m <= n)) return false;
  if (m === n) return proof.length === 0 && sameBytes(oldRoot, newRoot);
  // A tree whose size is a power of two is a node of the larger one: the proof omits its hash.
  const path = isPowerOfTwo(m) ? [oldRoot, ...proof] : [...proof];
  if (path.length === 0) return false;
  let fn = m - 1;
  let sn = n - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(crypto, c, fr);
      sr = nodeHash(crypto, c, sr);
      if (fn % 2 === 0)
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
    } else sr = nodeHash(crypto, sr, c);
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && sameBytes(fr, oldRoot) && sameBytes(sr, newRoot);
}

const isPowerOfTwo = (m: number): boolean => {
  while (m > 1 && m % 2 === 0) m /= 2;
  return m === 1;
};
