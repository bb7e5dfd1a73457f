import { lstatSync, statSync } from 'node:fs';

// What a folder's entry is, when it is not a regular file (or a link to one): said in words by
// verify and check alike, so that a stray entry is a finding, never skipped.

/** What an entry that is not a regular file is, in words; undefined for a regular file. */
export function oddEntry(full: string): string | undefined {
  let l;
  try {
    l = lstatSync(full);
  } catch {
    return 'an entry that cannot be read';
  }
  if (l.isSymbolicLink()) {
    try {
      const t = statSync(full);
      if (t.isFile()) return undefined;
      return t.isDirectory() ? 'a symbolic link to a folder' : 'a symbolic link to a special file';
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === 'ELOOP'
        ? 'a symbolic link loop'
        : 'a symbolic link to nothing';
    }
  }
  if (l.isFile()) return undefined;
  return l.isDirectory()
    ? 'a folder'
    : l.isFIFO()
      ? 'a FIFO (named pipe)'
      : l.isSocket()
        ? 'a socket'
        : 'a device';
}
