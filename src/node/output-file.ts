import { randomBytes } from 'node:crypto';
import {
  closeSync,
  lstatSync,
  openSync,
  readlinkSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { DocprovError } from '../core/errors.js';
import { writeFileDurably, syncFolder } from './durable.js';
import { fileError } from './files.js';

const outputError = (message: string, hint: string) =>
  new DocprovError('bad-output', message, { severity: 'unusable', hint });

/**
 * Checks, before any work, that `path` can name an output file: not a folder, in a folder that
 * exists. Permissions are left to the write itself, which says so plainly.
 */
export function checkOutputFile(path: string, kind?: { name: string; magic: string }): void {
  const st = lstatSync(path, { throwIfNoEntry: false });
  if (st?.isDirectory())
    throw outputError(
      `cannot write ${path}: it is a folder`,
      `give the path of the file to write, e.g. ${join(path, 'signed.pdf')}`,
    );
  // The file is replaced by a rename: a link, a device or a FIFO would be replaced, not written.
  if (st?.isSymbolicLink())
    throw outputError(
      `cannot write ${path}: it is a symbolic link, which docprov would replace rather than write through`,
      /^\/(dev|proc)\//.test(path)
        ? 'to write to standard output, give -o -'
        : `give the path it points to (${readlinkSync(path)}), or remove the link`,
    );
  if (st && !st.isFile())
    throw outputError(
      `cannot write ${path}: it is not a regular file (a device, FIFO or socket)`,
      path.startsWith('/dev/std') || path.startsWith('/proc/self/fd')
        ? 'to write to standard output, give -o -'
        : 'give the path of a regular file',
    );
  if (st && kind && !startsWith(path, kind.magic))
    throw outputError(
      `cannot write ${path}: it exists and is not a ${kind.name}, and docprov replaces only a ${kind.name}`,
      'remove it first if it may go, or choose another name',
    );
  const parent = dirname(resolve(path));
  const pst = statSync(parent, { throwIfNoEntry: false });
  if (!pst)
    throw outputError(
      `cannot write ${path}: the folder ${parent} does not exist`,
      `create it first (mkdir -p ${parent}), or write somewhere else`,
    );
  if (!pst.isDirectory())
    throw outputError(
      `cannot write ${path}: ${parent} is not a folder`,
      'check the path: one of its parents is a file',
    );
}

/** Whether the file at `path` begins with `magic` (read as latin1). */
function startsWith(path: string, magic: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const b = Buffer.alloc(magic.length);
    return readSync(fd, b, 0, b.length, 0) === b.length && b.toString('latin1') === magic;
  } catch {
    return false;
  } finally {
    closeSync(fd);
  }
}

export const PDF_OUTPUT = { name: 'PDF', magic: '%PDF-' } as const;

/** Writes a whole file or nothing: a temporary sibling, fsynced, renamed over `path`. */
export function writeFileAtomically(
  path: string,
  data: Uint8Array,
  kind?: { name: string; magic: string },
): void {
  checkOutputFile(path, kind);
  const dir = dirname(resolve(path));
  const tmp = join(dir, `.${basename(path)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    writeFileDurably(tmp, data);
    renameSync(tmp, path);
    syncFolder(dir);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw fileError(e, 'write', path);
  }
}
