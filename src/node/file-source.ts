import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { DocprovError } from '../core/errors.js';
import type { ByteSource } from '../core/pdf/source.js';

const CHUNK = 1 << 20;

/** A file read through one descriptor, in 1 MiB chunks: memory stays flat whatever its size. */
export function openFileSource(path: string): ByteSource & { close(): void } {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new DocprovError(
      'unreadable-file',
      `cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code}`,
      {
        severity: 'unusable',
        hint: 'check the path and that the file is readable',
      },
    );
  }
  const st = fstatSync(fd);
  if (!st.isFile()) {
    closeSync(fd);
    throw new DocprovError('unreadable-file', `cannot read ${path}: not a regular file`, {
      severity: 'unusable',
      hint: 'give the path of a file',
    });
  }
  const size = st.size;
  const buffer = Buffer.allocUnsafe(CHUNK);
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
      for (let at = start; at < end;) {
        const r = readSync(fd, buffer, 0, Math.min(CHUNK, end - at), at);
        if (r === 0) return;
        // The buffer is reused: consumers use each chunk before asking for the next.
        yield new Uint8Array(buffer.buffer, buffer.byteOffset, r);
        at += r;
      }
    },
    close: () => closeSync(fd),
  };
}
