import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';

// Bytes are on the disk only once fsync returns: a power cut after a rename that was not
// preceded by fsync can leave a new name pointing at an empty file.

/** Creates `path` (it must not exist), writes `data` and fsyncs it before closing. */
export function writeFileDurably(path: string, data: Uint8Array | string, mode = 0o644): void {
  const fd = openSync(path, 'wx', mode);
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at, bytes.length - at);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** fsyncs a folder, so that the names created, renamed or removed in it are on the disk. */
export function syncFolder(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
