// A zlib stream that inflates to `unit` repeated `copies` times, made in milliseconds without
// ever holding the inflated data: a full-flushed deflate of one unit is self-contained and
// byte-aligned, so its copies concatenate into one valid stream.
import { constants, deflateRawSync } from 'node:zlib';

const ADLER_MOD = 65521;

function adler32(data: Uint8Array): [number, number] {
  let a = 1;
  let b = 0;
  for (const x of data) {
    a = (a + x) % ADLER_MOD;
    b = (b + a) % ADLER_MOD;
  }
  return [a, b];
}

/** Adler-32 of X followed by Y, from theirs and Y's length (zlib's adler32_combine). */
function combine([a1, b1]: [number, number], [a2, b2]: [number, number], len2: number) {
  const a = (a1 + a2 - 1) % ADLER_MOD;
  const b = (b1 + b2 + (len2 % ADLER_MOD) * ((a1 + ADLER_MOD - 1) % ADLER_MOD)) % ADLER_MOD;
  return [a, b] as [number, number];
}

/** `copies` must be a power of two (the checksum is built by doubling). */
export function zlibBomb(unit: Uint8Array, copies: number): Uint8Array {
  const segment = deflateRawSync(unit, { level: 9, finishFlush: constants.Z_FULL_FLUSH });
  let sum = adler32(unit);
  let len = unit.length;
  for (let n = 1; n < copies; n *= 2) {
    sum = combine(sum, sum, len);
    len *= 2;
  }
  const out = Buffer.alloc(2 + segment.length * copies + 2 + 4);
  out[0] = 0x78;
  out[1] = 0xda;
  for (let i = 0; i < copies; i++) segment.copy(out, 2 + i * segment.length);
  // A final, empty fixed-Huffman block, then the checksum of everything inflated.
  out.set([0x03, 0x00], 2 + segment.length * copies);
  out.writeUInt32BE(((sum[1] << 16) | sum[0]) >>> 0, out.length - 4);
  return new Uint8Array(out);
}
