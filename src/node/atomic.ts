import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/**
 * Writes a whole folder or nothing: files go into a temporary sibling, which then replaces the
 * target in two renames. A crash leaves either the old folder or the new one, never a mix.
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
    const old = existsSync(dest) ? `${tmp}.old` : undefined;
    if (old) renameSync(dest, old);
    try {
      renameSync(tmp, dest);
    } catch (e) {
      if (old) renameSync(old, dest);
      throw e;
    }
    if (old) rmSync(old, { recursive: true, force: true });
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}
