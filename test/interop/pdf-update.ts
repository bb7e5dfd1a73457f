// Appends an incremental update to a PDF in the cross-reference form its last revision uses, the
// way signing tools add a signature without touching a byte before it.
import { deflateSync } from 'node:zlib';

export const latin1 = (b: Uint8Array): string => Buffer.from(b).toString('latin1');
export const bytesOf = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));

/** Where the last revision ends and what its trailer says. */
export interface Tail {
  startxref: number;
  /** The last revision's cross-reference is a stream (PDF 1.5), not a table. */
  xrefStream: boolean;
  size: number;
}

/** How the update's lines end and how its last lines are laid out. */
export interface Layout {
  eol: '\n' | '\r\n' | '\r';
  /** A line break after %%EOF. */
  finalEol: boolean;
  /** Comment lines before the xref and after the trailer, spaces around the startxref offset. */
  decorated: boolean;
}
export const PLAIN: Layout = { eol: '\n', finalEol: true, decorated: false };

export interface NewObject {
  num: number;
  /** PDF text between `N 0 obj` and `endobj`, one byte a character. */
  body: string;
}

/** The trailer entries an update carries over (/Root, /Info, /ID), as PDF text. */
export type TrailerEntries = Record<string, string>;

export function readTail(pdf: Uint8Array): Tail {
  const end = latin1(pdf.subarray(Math.max(0, pdf.length - 2048)));
  const m = [...end.matchAll(/startxref\s+(\d+)/g)].pop();
  if (!m) throw new Error('no startxref in the last 2 KB');
  const startxref = Number(m[1]);
  const at = latin1(pdf.subarray(startxref, startxref + 4096));
  const xrefStream = !at.startsWith('xref');
  const dict = xrefStream ? at.slice(0, at.indexOf('stream')) : at.slice(at.indexOf('trailer'));
  const size = /\/Size\s+(\d+)/.exec(dict);
  if (!size) throw new Error('the last trailer has no /Size');
  return { startxref, xrefStream, size: Number(size[1]) };
}

/** Consecutive object numbers as [first, count] runs: the xref subsections. */
function runs(nums: number[]): [number, number][] {
  const out: [number, number][] = [];
  for (const n of [...nums].sort((a, b) => a - b)) {
    const last = out[out.length - 1];
    if (last && last[0] + last[1] === n) last[1]++;
    else out.push([n, 1]);
  }
  return out;
}

function trailerText(entries: TrailerEntries, size: number, prev: number): string {
  const extra = Object.entries(entries)
    .map(([k, v]) => ` /${k} ${v}`)
    .join('');
  return `/Size ${size}${extra} /Prev ${prev}`;
}

function xrefTable(offsets: Map<number, number>, eol: string): string {
  const lines = runs([...offsets.keys()]).map(([first, count]) => {
    let s = `${first} ${count}${eol}`;
    for (let n = first; n < first + count; n++) {
      // Each entry is exactly 20 bytes: a two-byte end of line, or a space before a one-byte one.
      const lineEnd = eol.length === 2 ? eol : ` ${eol}`;
      s += `${String(offsets.get(n)).padStart(10, '0')} 00000 n${lineEnd}`;
    }
    return s;
  });
  return `xref${eol}${lines.join('')}`;
}

function xrefStream(offsets: Map<number, number>, num: number, dict: string, eol: string): string {
  const nums = [...offsets.keys()].sort((a, b) => a - b);
  const rows = Buffer.alloc(nums.length * 7);
  nums.forEach((n, i) => {
    rows[i * 7] = 1;
    rows.writeUInt32BE(offsets.get(n)!, i * 7 + 1);
  });
  const data = latin1(deflateSync(rows));
  const index = runs(nums)
    .map(([f, c]) => `${f} ${c}`)
    .join(' ');
  return (
    `${num} 0 obj${eol}<< /Type /XRef ${dict} /Index [${index}] /W [1 4 2] /Filter /FlateDecode` +
    ` /Length ${data.length} >>${eol}stream\r\n${data}${eol}endstream${eol}endobj${eol}`
  );
}

/**
 * Appends `objects` with an xref section of the base's kind and a trailer that chains to the
 * previous one. Returns the new file and each new object's offset.
 */
export function appendUpdate(
  pdf: Uint8Array,
  objects: NewObject[],
  entries: TrailerEntries,
  layout: Layout = PLAIN,
): { bytes: Uint8Array; offsets: Map<number, number> } {
  const tail = readTail(pdf);
  const { eol } = layout;
  const last = pdf[pdf.length - 1];
  let text = last === 0x0a || last === 0x0d ? '' : eol;
  const offsets = new Map<number, number>();
  for (const o of objects) {
    offsets.set(o.num, pdf.length + text.length);
    text += `${o.num} 0 obj${eol}${o.body}${eol}endobj${eol}`;
  }
  if (layout.decorated) text += `% an update written by the docprov interop corpus${eol}`;
  const maxNum = Math.max(tail.size - 1, ...objects.map((o) => o.num));
  const xrefAt = pdf.length + text.length;
  if (tail.xrefStream) {
    const num = maxNum + 1;
    offsets.set(num, xrefAt);
    const dict = trailerText(entries, num + 1, tail.startxref);
    text += xrefStream(offsets, num, dict, eol);
    offsets.delete(num);
  } else {
    text += xrefTable(offsets, eol);
    text += `trailer${eol}<< ${trailerText(entries, maxNum + 1, tail.startxref)} >>${eol}`;
  }
  text += layout.decorated
    ? `% the next line but one is the offset${eol}startxref${eol}  ${xrefAt}   ${eol}%%EOF`
    : `startxref${eol}${xrefAt}${eol}%%EOF`;
  if (layout.finalEol) text += eol;
  const out = new Uint8Array(pdf.length + text.length);
  out.set(pdf);
  out.set(bytesOf(text), pdf.length);
  return { bytes: out, offsets };
}
