import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { DocprovError } from '../core/errors.js';

// A file-system failure is an ordinary problem (a read-only folder, a missing parent), never
// "a bug in docprov": it gets a sentence, the path, and a hint.

const REASONS: Record<string, string> = {
  ENOENT: 'no such file or folder',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  EISDIR: 'it is a folder',
  ENOTDIR: 'a parent is not a folder',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EEXIST: 'it already exists',
  ENOTEMPTY: 'the folder is not empty',
  ENAMETOOLONG: 'the name is too long',
  ELOOP: 'too many symbolic links',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files',
  EBUSY: 'it is busy',
  EIO: 'input/output error',
  EXDEV: 'it is on another file system',
};

const HINTS: Record<string, string> = {
  ENOENT: 'check the path (docprov creates no missing parent folders there)',
  EACCES: 'choose a place you may write to and read from, or change its permissions',
  EPERM: 'choose a place you may write to and read from, or change its permissions',
  EROFS: 'choose a folder on a writable file system',
  EISDIR: 'give the path of a file, not of a folder',
  ENOTDIR: 'check the path: one of its parents is a file',
  ENOSPC: 'free some space, or choose another disk',
  EDQUOT: 'free some space, or choose another disk',
};

const errno = (e: unknown): string | undefined =>
  e instanceof Error ? (e as NodeJS.ErrnoException).code : undefined;

/** True for an error the operating system gave about a file (ENOENT, EACCES, ...). */
export function isFileSystemError(e: unknown): e is NodeJS.ErrnoException {
  const code = errno(e);
  return code !== undefined && code in REASONS;
}

/** A could-not-run error for a failed file operation: "cannot <action> <path>: <reason>". */
export function fileError(e: unknown, action: string, path: string): DocprovError {
  const code = errno(e) ?? '';
  return new DocprovError(
    code === 'ENOENT' && action === 'read' ? 'unreadable-file' : 'file-error',
    `cannot ${action} ${path}: ${REASONS[code] ?? (code || 'failed')}`,
    {
      severity: 'unusable',
      hint:
        code === 'ENOENT' && action !== 'write'
          ? 'check the path (a symbolic link must point at a file that exists)'
          : (HINTS[code] ?? 'check the path and its permissions'),
      cause: e,
    },
  );
}

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
    const err = fileError(e, 'read', path);
    throw new DocprovError('unreadable-file', err.message, {
      severity: 'unusable',
      hint:
        errno(e) === 'EISDIR'
          ? 'give a file, not a folder'
          : 'check the path and that the file is readable',
      cause: e,
    });
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
      const code = errno(e);
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
    throw fileError(e, 'read', path);
  } finally {
    closeSync(fd);
  }
}

/** How messages name an input: standard input has no path. */
export function inputName(path: string): string {
  return path === '-' ? '<stdin>' : path;
}
