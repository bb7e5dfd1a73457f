import { readFileSync } from 'node:fs';
import { DocprovError } from '../core/errors.js';

const REASONS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EISDIR: 'is a directory',
  ENOTDIR: 'a parent is not a directory',
};

/** Reads a file (or standard input for "-"); an unreadable file is a could-not-run error. */
export function readInput(path: string): Uint8Array {
  try {
    return path === '-' ? readFileSync(0) : readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    throw new DocprovError(
      'unreadable-file',
      `cannot read ${path}: ${REASONS[code] ?? code ?? 'read failed'}`,
      {
        severity: 'unusable',
        hint: 'check the path and that the file is readable',
        cause: e,
      },
    );
  }
}
