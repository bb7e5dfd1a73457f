import { closeSync, read, readSync } from 'node:fs';
import { openRegular } from './files.js';
import type { ByteSource } from '../core/pdf/source.js';

const CHUNK = 8 << 20;
const noop = () => {};

function readAt(fd: number, buf: Buffer, length: number, position: number): Promise<number> {
  return new Promise((resolve, reject) =>
    read(fd, buf, 0, length, position, (err, n) => (err ? reject(err) : resolve(n))),
  );
}

/** A file read through one descriptor, in 8 MiB chunks: memory stays flat whatever its size. */
export function openFileSource(path: string): ByteSource & { close(): void } {
  const { fd, size } = openRegular(path);
  // Two buffers: the next chunk is read (in libuv's thread pool) while this one is hashed. No
  // larger than the file: a tree of small PDFs would otherwise allocate 16 MiB a file.
  const room = Math.max(1, Math.min(CHUNK, size));
  const buffers = [Buffer.allocUnsafe(room), Buffer.allocUnsafe(room)];
  // At most one read is in flight; the first chunk is read ahead now, while the verifier parses
  // the file's end, so a stream from 0 starts hashing at once (it waited ~10 ms for 8 MiB).
  let inflight: Promise<number> | undefined;
  let readAhead = true;
  function track(p: Promise<number>): Promise<number> {
    p.catch(noop); // an error surfaces where the read is awaited, never as an unhandled rejection
    return (inflight = p);
  }
  track(readAt(fd, buffers[0]!, Math.min(CHUNK, size), 0));
  const settled = () => (inflight ?? Promise.resolve(0)).then(noop, noop);
  return {
    size,
    async read(offset, length) {
      const start = Math.max(0, offset);
      const n = Math.max(0, Math.min(length, size - start));
      const out = Buffer.allocUnsafe(n);
      let got = 0;
      while (got < n) {
        const r = readSync(fd, out, got, n - got, start + got);
        if (r === 0) break;
        got += r;
      }
      return new Uint8Array(out.buffer, out.byteOffset, got);
    },
    async *chunks(start, end) {
      let k = 0;
      let at = start;
      let pending: Promise<number> | undefined;
      if (readAhead && start === 0 && end >= Math.min(CHUNK, size)) pending = inflight;
      else await settled(); // no read may still be filling a buffer
      readAhead = false;
      pending ??=
        at < end ? track(readAt(fd, buffers[0]!, Math.min(CHUNK, end - at), at)) : undefined;
      while (pending) {
        const n = await pending;
        if (n === 0) return;
        const buf = buffers[k]!;
        at += n;
        k ^= 1;
        pending =
          at < end ? track(readAt(fd, buffers[k]!, Math.min(CHUNK, end - at), at)) : undefined;
        // Each buffer is reused two chunks later: consumers use a chunk before asking for the next.
        yield new Uint8Array(buf.buffer, buf.byteOffset, n);
      }
    },
    // A read still in flight keeps the descriptor until it ends (closing it under the read could
    // let a reused descriptor number be read).
    close: () =>
      void settled().then(() => {
        try {
          closeSync(fd);
        } catch {
          // the process ends soon; nothing was written through this descriptor
        }
      }),
  };
}
