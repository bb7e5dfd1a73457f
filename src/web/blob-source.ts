import type { ByteSource } from '../core/pdf/source.js';

// A File or Blob as the core's byte source: Blob.slice reads only what is asked for, so a
// 200 MB PDF is never held whole; the next chunk is read while this one is hashed.

const CHUNK = 16 << 20;
const DEPTH = 4;
const noop = () => {};
/** Buffers a blob source made: it never reuses one, so a hasher may keep them without a copy. */
const fresh = new WeakSet<ArrayBufferLike>();
export const neverReused = (b: ArrayBufferLike): boolean => fresh.has(b);

export function blobSource(
  blob: Blob,
  /** Told the end of each chunk read in sequence: the progress of the hashing pass. */
  onChunk?: (end: number) => void,
  chunk = CHUNK,
): ByteSource {
  const slice = async (from: number, to: number) => {
    const buffer = await blob.slice(from, to).arrayBuffer();
    fresh.add(buffer);
    return new Uint8Array(buffer);
  };
  return {
    size: blob.size,
    read(offset, length) {
      const from = Math.max(0, offset);
      return slice(from, Math.max(from, Math.min(blob.size, offset + length)));
    },
    async *chunks(start, end) {
      const stop = Math.min(end, blob.size);
      const queue: Promise<Uint8Array>[] = [];
      let asked = start;
      // Several reads in flight: a browser reads a File ~2x faster so than one at a time.
      const fill = () => {
        while (queue.length < DEPTH && asked < stop) {
          const p = slice(asked, Math.min(stop, asked + chunk));
          p.catch(noop); // a read the consumer never awaits must not surface as unhandled
          queue.push(p);
          asked = Math.min(stop, asked + chunk);
        }
      };
      fill();
      for (let at = start; queue.length > 0;) {
        const bytes = await queue.shift()!;
        fill();
        at += bytes.length;
        onChunk?.(at);
        yield bytes;
      }
    },
  };
}
