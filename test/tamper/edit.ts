// Byte-level edits of a signed PDF for the tamper corpus. Every marker an edit looks for must be
// there: a missing one throws, naming it, so a changed signer cannot quietly empty a vector.

export const latin1 = (b: Uint8Array) => Buffer.from(b).toString('latin1');
export const bytesOf = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));

/** The offset of `marker` in `text` (searching from `from`); throws when it is missing. */
export function find(text: string, marker: string, from = 0): number {
  const i = text.indexOf(marker, from);
  if (i < 0) throw new Error(`tamper corpus: the marker ${JSON.stringify(marker)} is missing`);
  return i;
}

/** The first match of `re` in `text`; throws, naming `what`, when there is none. */
export function firstMatch(text: string, re: RegExp, what: string): RegExpExecArray {
  const m = new RegExp(re.source, re.flags.replace('g', '')).exec(text);
  if (!m) throw new Error(`tamper corpus: the marker ${what} (${re}) is missing`);
  return m;
}

/** The last match of `re` in `text`; throws, naming `what`, when there is none. */
export function lastMatch(text: string, re: RegExp, what: string): RegExpExecArray {
  const all = [...text.matchAll(new RegExp(re.source, re.flags.replace('g', '') + 'g'))];
  const m = all[all.length - 1];
  if (!m) throw new Error(`tamper corpus: the marker ${what} (${re}) is missing`);
  return m as RegExpExecArray;
}

const BYTE_RANGE = /\/ByteRange \[0 (\d+) (\d+) (\d+)\s*\]/;

/** The signature's /ByteRange: the gap is [b, c), the file `len` bytes long. */
export function gap(pdf: Uint8Array): { b: number; c: number; d: number; len: number } {
  const m = lastMatch(latin1(pdf), BYTE_RANGE, '/ByteRange [0 b c d]');
  return { b: Number(m[1]), c: Number(m[2]), d: Number(m[3]), len: pdf.length };
}

/** A copy with one byte changed to one of two values (so it always differs). */
export function setByte(pdf: Uint8Array, at: number, a: number, b: number): Uint8Array {
  if (at < 0 || at >= pdf.length)
    throw new Error(`tamper corpus: offset ${at} is outside the file`);
  const out = new Uint8Array(pdf);
  out[at] = out[at] === a ? b : a;
  return out;
}

/** A byte changed inside the given signed range (1: [0, b), 2: [c, end)); throws if it is not. */
export function flipInRange(pdf: Uint8Array, at: number, range: 1 | 2): Uint8Array {
  const { b, c, len } = gap(pdf);
  const inside = range === 1 ? at >= 0 && at < b : at >= c && at < len;
  if (!inside) throw new Error(`tamper corpus: offset ${at} is not in signed range ${range}`);
  return setByte(pdf, at, 0x41, 0x42);
}

export function replaceSameLength(pdf: Uint8Array, from: string, to: string): Uint8Array {
  if (from.length !== to.length)
    throw new Error(`tamper corpus: ${from} and ${to} differ in length`);
  const t = latin1(pdf);
  const i = find(t, from);
  return bytesOf(t.slice(0, i) + to + t.slice(i + from.length));
}

/** An incremental update after the signature, with xref and trailer, adding the given objects. */
export function incrementalUpdate(pdf: Uint8Array, objects: [number, string][]): Uint8Array {
  const t = latin1(pdf);
  const prev = Number(lastMatch(t, /startxref\s+(\d+)\s+%%EOF\s*$/, 'startxref N %%EOF')[1]);
  const size = Number(lastMatch(t, /\/Size (\d+)/, '/Size')[1]);
  const root = lastMatch(t, /\/Root (\d+ \d+ R)/, '/Root')[1];
  let body = '';
  const offsets: [number, number][] = [];
  for (const [n, text] of objects) {
    offsets.push([n, pdf.length + body.length]);
    body += `${n} 0 obj\n${text}\nendobj\n`;
  }
  const xrefAt = pdf.length + body.length;
  const xref = [...offsets]
    .sort((x, y) => x[0] - y[0])
    .map(([n, o]) => `${n} 1\n${String(o).padStart(10, '0')} 00000 n \n`)
    .join('');
  const maxN = Math.max(size, ...objects.map(([n]) => n + 1));
  return bytesOf(
    t +
      body +
      `xref\n${xref}trailer\n<< /Size ${maxN} /Root ${root} /Prev ${prev} >>\nstartxref\n${xrefAt}\n%%EOF\n`,
  );
}

/** A content stream object with its exact /Length. */
export function streamObject(content: string): string {
  return `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`;
}
