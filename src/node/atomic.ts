import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  renameSync,
  rmSync,
  writeFileSync,
  statSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { DocprovError } from '../core/errors.js';

const LOCK_WAIT_MS = 120_000;
const STALE_LOCK_MS = 10 * 60_000;

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** A lock beside the target (mkdir is atomic): concurrent builds take turns, never interleave. */
function withLock<T>(target: string, run: () => T): T {
  const lock = `${target}.lock`;
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      try {
        if (Date.now() - statSync(lock).mtimeMs > STALE_LOCK_MS)
          rmSync(lock, { recursive: true, force: true });
      } catch {
        // the lock went away meanwhile
      }
      if (Date.now() > deadline)
        throw new DocprovError('locked', `another docprov run holds ${lock}`, {
          severity: 'unusable',
          hint: `wait for it to finish, or remove ${lock} if no run is active`,
        });
      sleep(50);
    }
  }
  try {
    return run();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * Writes a whole folder or nothing: files go into a temporary sibling, which then replaces the
 * target in two renames under a lock. A crash leaves either the old folder or the new one.
 */
export function writeFolderAtomically(
  target: string,
  files: ReadonlyMap<string, Uint8Array | string>,
): void {
  const dest = resolve(target);
  const parent = dirname(dest);
  mkdirSync(parent, { recursive: true });
  const tmp = mkdtempSync(join(parent, `.${basename(dest)}.tmp-`));
  try {
    chmodSync(tmp, 0o755); // mkdtemp makes 0700; published folders are world-readable
    for (const [name, data] of files) writeFileSync(join(tmp, name), data);
    withLock(dest, () => {
      const old = existsSync(dest) ? `${tmp}.old` : undefined;
      if (old) renameSync(dest, old);
      try {
        renameSync(tmp, dest);
      } catch (e) {
        if (old) renameSync(old, dest);
        throw e;
      }
      if (old) rmSync(old, { recursive: true, force: true });
    });
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}
