import { sha1 } from '@noble/hashes/legacy.js';
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import type { DigestAlgorithm, Hasher } from '../core/crypto.js';
import { plain } from './bytes.js';

// A browser's hasher: it keeps the bytes for WebCrypto's one-shot native digest (~10x faster
// than JavaScript on a large file) and streams through @noble/hashes past a memory limit or
// when asked for a synchronous digest.

const NOBLE = { 'SHA-1': sha1, 'SHA-256': sha256, 'SHA-384': sha384, 'SHA-512': sha512 } as const;

/** Bytes one hasher holds for the native digest; a larger input streams in JavaScript instead. */
export const HOLD_LIMIT = 512 << 20;

type Streaming = ReturnType<typeof sha256.create>;

function joined(parts: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function webHasher(
  algorithm: DigestAlgorithm,
  subtle: SubtleCrypto | undefined = globalThis.crypto?.subtle,
  limit = HOLD_LIMIT,
): Hasher {
  let held: Uint8Array[] | undefined = [];
  let size = 0;
  let streaming: Streaming | undefined;
  const stream = (): Streaming => {
    if (!streaming) {
      streaming = NOBLE[algorithm].create() as Streaming;
      for (const p of held ?? []) streaming.update(p);
      held = undefined;
    }
    return streaming;
  };
  return {
    update(data) {
      // Copied: a byte source may reuse its buffer for the next chunk.
      if (held && size + data.length <= limit) {
        held.push(data.slice());
        size += data.length;
      } else stream().update(data);
    },
    digest: () => stream().digest(),
    async digestAsync() {
      if (streaming || !held || !subtle || size < 4096) return stream().digest();
      const all = joined(held, size);
      held = undefined;
      return new Uint8Array(await subtle.digest(algorithm, plain(all)));
    },
  };
}
