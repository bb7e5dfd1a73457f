import type { ByteSource } from './source.js';

/** Every offset of `needle` in [start, end) of the source, read in chunks (at most `limit`). */
export async function findAll(
  src: ByteSource,
  needle: string,
  start = 0,
  end = src.size,
  limit = 1000,
): Promise<number[]> {
  const pat = Uint8Array.from(needle, (c) => c.charCodeAt(0));
  const found: number[] = [];
  let carry = new Uint8Array(0);
  let carryAt = start;
  for await (const chunk of src.chunks(start, end)) {
    const buf = new Uint8Array(carry.length + chunk.length);
    buf.set(carry);
    buf.set(chunk, carry.length);
    found.push(...findIn(buf, pat).map((i) => carryAt + i));
    if (found.length >= limit) return found.slice(0, limit);
    const keep = Math.min(buf.length, pat.length - 1);
    carryAt = carryAt + buf.length - keep;
    carry = buf.slice(buf.length - keep);
  }
  return found;
}

/** Offsets of a pattern in a buffer (first-byte scan with indexOf, then compare). */
export function findIn(buf: Uint8Array, pat: Uint8Array): number[] {
  const out: number[] = [];
  const first = pat[0]!;
  for (
    let i = buf.indexOf(first);
    i !== -1 && i + pat.length <= buf.length;
    i = buf.indexOf(first, i + 1)
  ) {
    let k = 1;
    while (k < pat.length && buf[i + k] === pat[k]) k++;
    if (k === pat.length) out.push(i);
  }
  return out;
}
