import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openFileSource } from '../src/node/file-source.js';

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

  it('closes while its read-ahead is still in flight without an error', async () => {
    const src = openFileSource(file);
    src.close();
    await new Promise((r) => setTimeout(r, 50));
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
