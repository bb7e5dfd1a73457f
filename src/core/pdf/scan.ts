/**
 * Boyer-Moore-Horspool: the offsets of `pat` in `buf` from `from`. On compressed or random data
 * it looks at about one byte in pat.length.
 */
export function findIn(buf: Uint8Array, pat: Uint8Array, from = 0): number[] {
  const out: number[] = [];
  const m = pat.length;
  const last = m - 1;
  const shift = new Uint8Array(256).fill(m);
  for (let i = 0; i < last; i++) shift[pat[i]!] = last - i;
  const tail = pat[last]!;
  for (let i = from + last; i < buf.length;) {
    const b = buf[i]!;
    if (b === tail) {
      let k = 1;
      while (k < m && buf[i - k] === pat[last - k]) k++;
      if (k === m) out.push(i - last);
    }
    i += shift[b]!;
  }
  return out;
}
