import { sha1 } from '@noble/hashes/legacy.js';
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import type { DigestAlgorithm, Hasher } from '../core/crypto.js';
import { HeldBytes } from './held-bytes.js';

// A browser's hasher: it keeps the bytes for WebCrypto's one-shot native digest (~10x faster
// than JavaScript on a large file) and streams through @noble/hashes past a memory limit or
// when asked for a synchronous digest.

const NOBLE = { 'SHA-1': sha1, 'SHA-256': sha256, 'SHA-384': sha384, 'SHA-512': sha512 } as const;

/** Bytes one hasher holds for the native digest; a larger input streams in JavaScript instead. */
export const HOLD_LIMIT = 512 << 20;
/** Below this, JavaScript is as fast as a round trip to WebCrypto. */
const NATIVE_FROM = 4096;

type Streaming = ReturnType<typeof sha256.create>;

export function webHasher(
  algorithm: DigestAlgorithm,
  subtle: SubtleCrypto | undefined = globalThis.crypto?.subtle,
  limit = HOLD_LIMIT,
): Hasher {
  let held: HeldBytes | undefined = new HeldBytes(limit);
  let streaming: Streaming | undefined;
  const stream = (): Streaming => {
    if (!streaming) {
      streaming = NOBLE[algorithm].create() as Streaming;
      for (const p of held?.take() ?? []) streaming.update(p);
      held = undefined;
    }
    return streaming;
  };
  return {
    update(data) {
      if (!held?.push(data)) stream().update(data);
    },
    digest: () => stream().digest(),
    async digestAsync() {
      if (!held || !subtle || held.size < NATIVE_FROM) return stream().digest();
      const all = held.whole();
      held = undefined;
      return new Uint8Array(await subtle.digest(algorithm, all));
    },
  };
}
