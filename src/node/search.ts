import type { Search } from '../core/pdf/scan.js';

/** Every offset of `needle` in `hay`, by Node's native Buffer.indexOf (memmem speed). */
export const nativeSearch: Search = (hay, needle) => {
  const buf = Buffer.from(hay.buffer, hay.byteOffset, hay.byteLength);
  const out: number[] = [];
  for (let i = buf.indexOf(needle); i !== -1; i = buf.indexOf(needle, i + 1)) out.push(i);
  return out;
};
