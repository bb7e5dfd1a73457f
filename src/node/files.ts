import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { DocprovError } from '../core/errors.js';

const REASONS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EISDIR: 'is a folder',
  ENOTDIR: 'a parent is not a folder',
  ELOOP: 'too many symbolic links',
};

/** Inputs larger than this are refused unless a caller says otherwise: they are never this big. */
export const DEFAULT_MAX_INPUT = 64 << 20;

const unreadable = (
  path: string,
  why: string,
  hint = 'check the path and that the file is readable',
) =>
  new DocprovError('unreadable-file', `cannot read ${path}: ${why}`, {
    severity: 'unusable',
    hint,
  });

function kindOf(st: ReturnType<typeof fstatSync>): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a pipe (FIFO)';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * Opens a regular file for reading. Anything else (a FIFO, /dev/zero, a socket) is refused
 * before a byte is read: O_NONBLOCK keeps the open of a FIFO from waiting for a writer.
 */
export function openRegular(path: string): { fd: number; size: number } {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    throw unreadable(path, REASONS[code] ?? code ?? 'open failed');
  }
  const st = fstatSync(fd);
  if (!st.isFile()) {
    closeSync(fd);
    throw unreadable(
      path,
      `it is ${kindOf(st)}`,
      'give the path of a regular file, or "-" to read standard input',
    );
  }
  return { fd, size: st.size };
}

/** Reads standard input to its end, refusing more than `max` bytes. */
function readStdin(max: number): Uint8Array {
  const parts: Buffer[] = [];
  let total = 0;
  const buf = Buffer.allocUnsafe(1 << 16);
  for (;;) {
    let n: number;
    try {
      n = readSync(0, buf, 0, buf.length, null);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') continue;
      if (code === 'EOF') break;
      throw unreadable('standard input', code ?? 'read failed');
    }
    if (n === 0) break;
    total += n;
    if (total > max)
      throw unreadable('standard input', `more than ${max} bytes`, 'give a file instead');
    parts.push(Buffer.from(buf.subarray(0, n)));
  }
  return new Uint8Array(Buffer.concat(parts));
}

/** Reads a regular file (or standard input for "-"), at most `max` bytes; else a could-not-run error. */
export function readInput(path: string, max = DEFAULT_MAX_INPUT): Uint8Array {
  if (path === '-') return readStdin(max);
  const { fd, size } = openRegular(path);
  try {
    if (size > max)
      throw unreadable(
        path,
        `it is ${size} bytes, more than the ${max} docprov reads for this input`,
        'is it the right file?',
      );
    const out = Buffer.allocUnsafe(size);
    let got = 0;
    while (got < size) {
      const n = readSync(fd, out, got, size - got, got);
      if (n === 0) break;
      got += n;
    }
    return new Uint8Array(out.buffer, out.byteOffset, got);
  } catch (e) {
    if (e instanceof DocprovError) throw e;
    throw unreadable(path, (e as NodeJS.ErrnoException).code ?? 'read failed');
  } finally {
    closeSync(fd);
  }
}

/** How messages name an input: standard input has no path. */
export function inputName(path: string): string {
  return path === '-' ? '<stdin>' : path;
}
