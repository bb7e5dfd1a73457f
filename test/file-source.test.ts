import { randomBytes } from 'node:crypto';
import { fstatSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { openFileSource } from '../src/node/file-source.js';

// The file source's reads and closes, in the order they finish, so a test can wait for one.
const fsEvents = vi.hoisted(() => ({ log: [] as string[], onClose: (_fd: number) => {} }));
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const read = ((...args: unknown[]) => {
    const done = args.pop() as (...r: unknown[]) => void;
    (fs.read as (...a: unknown[]) => void)(...args, (...r: unknown[]) => {
      fsEvents.log.push(`read ${String(args[0])}`);
      done(...r);
    });
  }) as typeof fs.read;
  const closeSync = (fd: number) => {
    fs.closeSync(fd);
    fsEvents.log.push(`close ${fd}`);
    fsEvents.onClose(fd);
  };
  return { ...fs, default: { ...fs, read, closeSync }, read, closeSync };
});

const dir = mkdtempSync(join(tmpdir(), 'docprov-source-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// Larger than two 8 MiB chunks, and not a multiple of one.
const bytes = randomBytes((19 << 20) + 12345);
const file = join(dir, 'big.bin');
writeFileSync(file, bytes);

async function collect(src: ReturnType<typeof openFileSource>, start: number, end: number) {
  const parts: Buffer[] = [];
  // Copies: a chunk's buffer is reused two chunks later.
  for await (const c of src.chunks(start, end)) parts.push(Buffer.from(c));
  return Buffer.concat(parts);
}

describe('file byte source', () => {
  it.each([
    ['the whole file from 0 (uses the chunk read ahead at open)', 0, bytes.length],
    ['a prefix shorter than the chunk read ahead', 0, 3 << 20],
    ['a range starting elsewhere', 5, (9 << 20) + 7],
    ['an empty range', 100, 100],
  ])('streams %s exactly', async (_name, start, end) => {
    const src = openFileSource(file);
    try {
      expect((await collect(src, start, end)).equals(bytes.subarray(start, end))).toBe(true);
      // A second pass after the first gives the same bytes (the read-ahead is used only once).
      expect((await collect(src, 0, bytes.length)).equals(bytes)).toBe(true);
      expect(Buffer.from(await src.read(bytes.length - 10, 100)).equals(bytes.subarray(-10))).toBe(
        true,
      );
    } finally {
      src.close();
    }
  });

  it('closes while its read-ahead is still in flight: the descriptor is closed once, after the read ends', async () => {
    const closed = new Promise<number>((resolve) => (fsEvents.onClose = resolve));
    fsEvents.log.length = 0;
    const src = openFileSource(file);
    expect(fsEvents.log).toEqual([]); // the read-ahead has not finished: close() meets it in flight
    expect(() => src.close()).not.toThrow();
    const fd = await closed;
    expect(fsEvents.log).toEqual([`read ${fd}`, `close ${fd}`]);
    expect(() => fstatSync(fd)).toThrow(/EBADF/);
  });

  it('reads an empty file', async () => {
    const empty = join(dir, 'empty.bin');
    writeFileSync(empty, '');
    const src = openFileSource(empty);
    expect(src.size).toBe(0);
    expect((await collect(src, 0, 0)).length).toBe(0);
    src.close();
  });
});
