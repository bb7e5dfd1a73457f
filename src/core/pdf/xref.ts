import { get, nameOf, num, PdfLexer, PdfSyntaxError, type PdfValue } from './lexer.js';
import { latin1, type ByteSource } from './source.js';

// The cross-reference chain, newest section first, read strictly: a file that would need repair
// (an offset that misses its object, a broken chain) is reported, never silently mended.

export interface XrefEntry {
  type: 'n' | 'f' | 'c';
  /** File offset (type n) or the object stream's number (type c). */
  offset: number;
  gen: number;
}

export interface XrefSection {
  offset: number;
  form: 'table' | 'stream';
  entries: Map<number, XrefEntry>;
  trailer: PdfValue;
  prev: number | undefined;
  /** Object numbers listed twice in this section. */
  duplicates: number[];
  /** Set when a table trailer points at an xref stream too (a hybrid file). */
  hybrid: boolean;
}

export interface XrefChain {
  sections: XrefSection[];
  /** Offsets just after each revision's %%EOF line, oldest first; the last is the file's end of data. */
  revisionEnds: number[];
}

const MAX_SECTIONS = 256;
const MAX_ENTRIES = 5_000_000;
const WINDOW = 1 << 16;

export class XrefError extends Error {}

async function readTable(src: ByteSource, offset: number): Promise<XrefSection> {
  // Tables are read in growing windows: 20 bytes an entry.
  let size = WINDOW;
  for (;;) {
    const bytes = await src.read(offset, size);
    try {
      return parseTable(bytes, offset);
    } catch (e) {
      if (e instanceof PdfSyntaxError && bytes.length === size && size < 256 << 20) {
        size *= 4;
        continue;
      }
      throw e;
    }
  }
}

function parseTable(bytes: Uint8Array, offset: number): XrefSection {
  const lx = new PdfLexer(bytes, 0, offset);
  lx.expectWord('xref');
  const entries = new Map<number, XrefEntry>();
  const duplicates: number[] = [];
  for (;;) {
    const word = lx.peekWord();
    if (word === 'trailer') break;
    if (!/^\d+$/.test(word))
      throw new PdfSyntaxError('bad xref subsection header', offset + lx.pos);
    const first = Number(word);
    lx.pos += word.length;
    const countWord = lx.peekWord();
    if (!/^\d+$/.test(countWord))
      throw new PdfSyntaxError('bad xref subsection count', offset + lx.pos);
    lx.pos += countWord.length;
    const count = Number(countWord);
    if (entries.size + count > MAX_ENTRIES) throw new XrefError('too many cross-reference entries');
    lx.skipWhite();
    for (let i = 0; i < count; i++) {
      const line = latin1(bytes.subarray(lx.pos, lx.pos + 20));
      const m = /^(\d{10}) (\d{5}) ([nf])[ \r\n]{2}$/.exec(line);
      if (!m) throw new PdfSyntaxError('bad xref entry', offset + lx.pos);
      lx.pos += 20;
      const n = first + i;
      if (entries.has(n)) duplicates.push(n);
      entries.set(n, { type: m[3] as 'n' | 'f', offset: Number(m[1]), gen: Number(m[2]) });
    }
  }
  lx.expectWord('trailer');
  const trailer = lx.value();
  if (trailer.kind !== 'dict')
    throw new PdfSyntaxError('trailer is not a dictionary', offset + lx.pos);
  const prev = num(get(trailer, 'Prev'));
  return {
    offset,
    form: 'table',
    entries,
    trailer,
    prev,
    duplicates,
    hybrid: get(trailer, 'XRefStm') !== undefined,
  };
}

/** Decodes FlateDecode with an optional PNG predictor, the only filters xref streams use. */
export async function decodeStream(dict: PdfValue, raw: Uint8Array): Promise<Uint8Array> {
  const filter = get(dict, 'Filter');
  const name =
    filter?.kind === 'array'
      ? filter.items.length === 1
        ? nameOf(filter.items[0])
        : 'many'
      : nameOf(filter);
  if (name === undefined) return raw;
  if (name !== 'FlateDecode') throw new XrefError(`unsupported stream filter /${name}`);
  // Loaded on demand: most signed PDFs end in a classic xref table.
  const { default: pako } = await import('pako');
  const data = pako.inflate(raw);
  const parms = get(dict, 'DecodeParms');
  const predictor = num(get(parms, 'Predictor')) ?? 1;
  if (predictor < 10) return data;
  const columns = num(get(parms, 'Columns')) ?? 1;
  const rowLen = columns + 1;
  const out = new Uint8Array((data.length / rowLen) * columns);
  const prevRow = new Uint8Array(columns);
  for (let r = 0; r * rowLen < data.length; r++) {
    const type = data[r * rowLen]!;
    for (let c = 0; c < columns; c++) {
      const x = data[r * rowLen + 1 + c] ?? 0;
      const left = c > 0 ? out[r * columns + c - 1]! : 0;
      const up = prevRow[c]!;
      const upLeft = c > 0 && r > 0 ? out[(r - 1) * columns + c - 1]! : 0;
      let v = x;
      if (type === 1) v = x + left;
      else if (type === 2) v = x + up;
      else if (type === 3) v = x + ((left + up) >> 1);
      else if (type === 4) {
        const p = left + up - upLeft;
        const pa = Math.abs(p - left),
          pb = Math.abs(p - up),
          pc = Math.abs(p - upLeft);
        v = x + (pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft);
      }
      out[r * columns + c] = v & 0xff;
    }
    prevRow.set(out.subarray(r * columns, (r + 1) * columns));
  }
  return out;
}

/** Reads "N G obj << ... >> stream ... endstream" at an offset: the dictionary and raw data. */
export async function readStreamObject(
  src: ByteSource,
  offset: number,
): Promise<{ num: number; dict: PdfValue; raw: Uint8Array }> {
  const head = await src.read(offset, WINDOW);
  const lx = new PdfLexer(head, 0, offset);
  const h = lx.objectHeader();
  if (!h) throw new PdfSyntaxError('expected "N G obj"', offset);
  const dict = lx.value();
  if (dict.kind !== 'dict')
    throw new PdfSyntaxError('stream object without a dictionary', offset + lx.pos);
  lx.skipWhite();
  lx.expectWord('stream');
  if (head[lx.pos] === 0x0d) lx.pos++;
  if (head[lx.pos] === 0x0a) lx.pos++;
  const length = num(get(dict, 'Length'));
  if (length === undefined || length < 0 || length > 256 << 20)
    throw new XrefError('stream /Length missing, indirect or absurd');
  const raw = await src.read(offset + lx.pos, length);
  if (raw.length !== length) throw new XrefError('stream runs past the end of the file');
  const after = latin1(await src.read(offset + lx.pos + length, 32));
  if (!/^\s*endstream/.test(after))
    throw new XrefError('stream /Length does not end at "endstream"');
  return { num: h.num, dict, raw };
}

async function readXrefStream(src: ByteSource, offset: number): Promise<XrefSection> {
  const { dict, raw } = await readStreamObject(src, offset);
  if (nameOf(get(dict, 'Type')) !== 'XRef')
    throw new XrefError('startxref points at an object that is not an xref stream');
  const data = await decodeStream(dict, raw);
  const w = get(dict, 'W');
  const widths = w?.kind === 'array' ? w.items.map((i) => num(i) ?? -1) : [];
  if (widths.length !== 3 || widths.some((x) => x < 0 || x > 8))
    throw new XrefError('bad /W in xref stream');
  const size = num(get(dict, 'Size')) ?? 0;
  const index = get(dict, 'Index');
  const ranges = index?.kind === 'array' ? index.items.map((i) => num(i) ?? -1) : [0, size];
  const rowLen = widths[0]! + widths[1]! + widths[2]!;
  const entries = new Map<number, XrefEntry>();
  const duplicates: number[] = [];
  let at = 0;
  const field = (width: number, dflt: number) => {
    if (width === 0) return dflt;
    let v = 0;
    for (let k = 0; k < width; k++) v = v * 256 + data[at++]!;
    return v;
  };
  for (let r = 0; r + 1 < ranges.length; r += 2) {
    const first = ranges[r]!;
    const count = ranges[r + 1]!;
    if (first < 0 || count < 0 || entries.size + count > MAX_ENTRIES)
      throw new XrefError('bad /Index in xref stream');
    for (let i = 0; i < count; i++) {
      if (at + rowLen > data.length)
        throw new XrefError('xref stream is shorter than its /Index says');
      const type = field(widths[0]!, 1);
      const f2 = field(widths[1]!, 0);
      const f3 = field(widths[2]!, 0);
      const n = first + i;
      if (entries.has(n)) duplicates.push(n);
      entries.set(
        n,
        type === 0
          ? { type: 'f', offset: f2, gen: f3 }
          : type === 1
            ? { type: 'n', offset: f2, gen: f3 }
            : { type: 'c', offset: f2, gen: 0 },
      );
    }
  }
  return {
    offset,
    form: 'stream',
    entries,
    trailer: dict,
    prev: num(get(dict, 'Prev')),
    duplicates,
    hybrid: false,
  };
}

/** The offset given by the last "startxref" of the file, and where that revision's data ends. */
export async function lastStartxref(src: ByteSource): Promise<{ startxref: number; eof: number }> {
  const tailLen = Math.min(src.size, 4096);
  const tail = latin1(await src.read(src.size - tailLen, tailLen));
  const m = /startxref\s+(\d+)\s+%%EOF[ \t]*(\r\n|\r|\n)?\s*$/.exec(tail);
  if (!m) throw new XrefError('the file does not end with "startxref N %%EOF"');
  return { startxref: Number(m[1]), eof: src.size };
}

/** Reads the chain of xref sections from the last startxref back through /Prev. */
export async function readXrefChain(src: ByteSource): Promise<XrefChain> {
  const { startxref } = await lastStartxref(src);
  const sections: XrefSection[] = [];
  const seen = new Set<number>();
  let offset: number | undefined = startxref;
  while (offset !== undefined) {
    if (seen.has(offset) || sections.length >= MAX_SECTIONS)
      throw new XrefError('the /Prev chain loops or is absurdly long');
    if (offset < 0 || offset >= src.size)
      throw new XrefError(`an xref offset (${offset}) lies outside the file`);
    seen.add(offset);
    const peek = latin1(await src.read(offset, 4));
    const section: XrefSection =
      peek === 'xref' ? await readTable(src, offset) : await readXrefStream(src, offset);
    sections.push(section);
    offset = section.prev;
  }
  const revisionEnds = await findRevisionEnds(src, sections);
  return { sections, revisionEnds };
}

// Each revision ends with "startxref <its xref offset> %%EOF" and an optional end-of-line.
async function findRevisionEnds(src: ByteSource, sections: XrefSection[]): Promise<number[]> {
  const ends: number[] = [];
  for (const s of [...sections].reverse()) {
    const re = new RegExp(`startxref\\s+${s.offset}\\s+%%EOF[ \\t]*(\\r\\n|\\r|\\n)?`);
    // Read on in 1 MiB steps (overlapping), so memory stays flat however far the end is.
    let found: number | undefined;
    for (let at = s.offset; found === undefined && at < src.size; at += WINDOW * 16 - 64) {
      const text = latin1(await src.read(at, WINDOW * 16));
      const m = re.exec(text);
      // A match that touches the window's end may be missing its end-of-line: take the next window.
      if (m && (m.index + m[0].length < text.length - 2 || at + text.length >= src.size))
        found = at + m.index + m[0].length;
    }
    if (found === undefined)
      throw new XrefError(
        `no "startxref ${s.offset} %%EOF" closes the revision whose xref is at ${s.offset}`,
      );
    ends.push(found);
  }
  return ends;
}
