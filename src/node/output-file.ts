import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, statSync } from 'node:fs';
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
export function checkOutputFile(path: string): void {
  const st = statSync(path, { throwIfNoEntry: false });
  if (st?.isDirectory())
    throw outputError(
      `cannot write ${path}: it is a folder`,
      `give the path of the file to write, e.g. ${join(path, 'signed.pdf')}`,
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

/** Writes a whole file or nothing: a temporary sibling, fsynced, renamed over `path`. */
export function writeFileAtomically(path: string, data: Uint8Array): void {
  checkOutputFile(path);
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
