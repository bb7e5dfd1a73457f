import { inflateCapped } from './inflate.js';
import { get, nameOf, num, PdfLexer, PdfSyntaxError, type PdfValue } from './lexer.js';
import { latin1, type ByteSource } from './source.js';

// The cross-reference chain, newest section first, read strictly: a file that would need repair
// (an offset that misses its object, a broken chain) is reported, never silently mended. Every
// read is bounded: sections, entries and decoded stream sizes have caps, and the work is linear
// in the file's size.

export interface XrefEntry {
  type: 'n' | 'f' | 'c';
  /** File offset (type n) or the object stream's number (type c). */
  offset: number;
  /** Generation (n, f) or the index inside the object stream (c). */
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
  /** For a hybrid table: the offset of its /XRefStm stream, whose entries were merged in. */
  xrefStm?: number;
  /** Objects the table and its /XRefStm list differently. */
  conflicts: number[];
}

export interface XrefChain {
  /** The startxref this chain was read from. */
  startxref: number;
  sections: XrefSection[];
  /** Offset just after that startxref's "%%EOF" line (bytes after it belong to no revision). */
  end: number;
}

export const MAX_SECTIONS = 256;
/** Entries across the whole chain: about 100 bytes of memory each. */
export const MAX_ENTRIES = 1_000_000;
const WINDOW = 1 << 16;
const MAX_TABLE_BYTES = 32 << 20;

export class XrefError extends Error {}

async function readTable(src: ByteSource, offset: number, budget: Budget): Promise<XrefSection> {
  // Tables are read in growing windows (20 bytes an entry): the reads add up to a few times the
  // table's size.
  let size = WINDOW;
  for (;;) {
    const bytes = await src.read(offset, size);
    try {
      return parseTable(bytes, offset, budget);
    } catch (e) {
      if (e instanceof PdfSyntaxError && bytes.length === size && size < MAX_TABLE_BYTES) {
        size *= 4;
        continue;
      }
      throw e;
    }
  }
}

interface Budget {
  entries: number;
}

function parseTable(bytes: Uint8Array, offset: number, budget: Budget): XrefSection {
  const lx = new PdfLexer(bytes, 0, offset);
  lx.expectWord('xref');
  const entries = new Map<number, XrefEntry>();
  const duplicates: number[] = [];
  for (;;) {
    const word = lx.peekWord();
    if (word === 'trailer') break;
    if (!/^\d{1,10}$/.test(word))
      throw new PdfSyntaxError('bad xref subsection header', offset + lx.pos);
    const first = Number(word);
    lx.pos += word.length;
    const countWord = lx.peekWord();
    if (!/^\d{1,10}$/.test(countWord))
      throw new PdfSyntaxError('bad xref subsection count', offset + lx.pos);
    lx.pos += countWord.length;
    const count = Number(countWord);
    if (budget.entries + entries.size + count > MAX_ENTRIES)
      throw new XrefError(`more than ${MAX_ENTRIES} cross-reference entries`);
    lx.skipWhite();
    for (let i = 0; i < count; i++) {
      const line = latin1(bytes.subarray(lx.pos, lx.pos + 20));
      const m = /^(\d{10}) (\d{5}) ([nf])(?: \r| \n|\r\n)$/.exec(line);
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
  budget.entries += entries.size;
  const xrefStm = num(get(trailer, 'XRefStm'));
  return {
    offset,
    form: 'table',
    entries,
    trailer,
    prev: num(get(trailer, 'Prev')),
    duplicates,
    ...(xrefStm !== undefined ? { xrefStm } : {}),
    conflicts: [],
  };
}

/** Undoes a PNG predictor (ISO 32000 7.4.4.4), as xref and object streams use it. */
function unpredict(data: Uint8Array, columns: number): Uint8Array {
  const rowLen = columns + 1;
  if (data.length % rowLen !== 0) throw new XrefError('predicted stream data is not whole rows');
  const rows = data.length / rowLen;
  const out = new Uint8Array(rows * columns);
  for (let r = 0; r < rows; r++) {
    const type = data[r * rowLen]!;
    if (type > 4) throw new XrefError(`unknown PNG predictor ${type}`);
    for (let c = 0; c < columns; c++) {
      const x = data[r * rowLen + 1 + c]!;
      const left = c > 0 ? out[r * columns + c - 1]! : 0;
      const up = r > 0 ? out[(r - 1) * columns + c]! : 0;
      const upLeft = c > 0 && r > 0 ? out[(r - 1) * columns + c - 1]! : 0;
      let v = x;
      if (type === 1) v = x + left;
      else if (type === 2) v = x + up;
      else if (type === 3) v = x + ((left + up) >> 1);
      else if (type === 4) {
        const p = left + up - upLeft;
        const pa = Math.abs(p - left);
        const pb = Math.abs(p - up);
        const pc = Math.abs(p - upLeft);
        v = x + (pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft);
      }
      out[r * columns + c] = v & 0xff;
    }
  }
  return out;
}

/**
 * Decodes a stream's data: none or FlateDecode, with an optional PNG predictor, the only
 * encodings xref and object streams use. `maxOutput` bounds the inflated size.
 */
export function decodeStream(dict: PdfValue, raw: Uint8Array, maxOutput: number): Uint8Array {
  const filter = get(dict, 'Filter');
  const name =
    filter?.kind === 'array'
      ? filter.items.length === 1
        ? nameOf(filter.items[0])
        : filter.items.length === 0
          ? undefined
          : 'a filter chain'
      : nameOf(filter);
  if (filter !== undefined && filter.kind !== 'array' && name === undefined)
    throw new XrefError('a stream /Filter that is not a name');
  if (name === undefined) {
    if (raw.length > maxOutput) throw new XrefError(`a stream larger than ${maxOutput} bytes`);
    return raw;
  }
  if (name !== 'FlateDecode') throw new XrefError(`unsupported stream filter /${name}`);
  // Decode parameters are read as viewers read them, or refused: never half-applied.
  const given = get(dict, 'DecodeParms');
  const parms = given?.kind === 'array' && given.items.length === 1 ? given.items[0] : given;
  if (parms !== undefined && parms.kind !== 'dict' && parms.kind !== 'null')
    throw new XrefError('stream /DecodeParms that docprov cannot read as one dictionary');
  const predictor = num(get(parms, 'Predictor')) ?? 1;
  const columns = num(get(parms, 'Columns')) ?? 1;
  if (!Number.isInteger(columns) || columns < 1 || columns > 64)
    throw new XrefError('bad /Columns in a stream predictor');
  if (predictor !== 1 && !(predictor >= 10 && predictor <= 15))
    throw new XrefError(`unsupported stream /Predictor ${predictor}`);
  if (
    predictor >= 10 &&
    ((num(get(parms, 'Colors')) ?? 1) !== 1 || (num(get(parms, 'BitsPerComponent')) ?? 8) !== 8)
  )
    throw new XrefError(
      'a PNG predictor with /Colors or /BitsPerComponent docprov does not decode',
    );
  const withRows = predictor >= 10 ? Math.ceil(maxOutput / columns) * (columns + 1) : maxOutput;
  const data = inflateCapped(raw, withRows, 'a stream');
  if (predictor < 10) return data;
  return unpredict(data, columns);
}

/** Reads "N G obj << ... >> stream ... endstream" at an offset: the dictionary and raw data. */
export async function readStreamObject(
  src: ByteSource,
  offset: number,
  maxLength = 256 << 20,
): Promise<{ num: number; gen: number; dict: PdfValue; raw: Uint8Array; end: number }> {
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
  if (length === undefined || !Number.isInteger(length) || length < 0 || length > maxLength)
    throw new XrefError('stream /Length missing, indirect or absurd');
  const raw = await src.read(offset + lx.pos, length);
  if (raw.length !== length) throw new XrefError('stream runs past the end of the file');
  const afterAt = offset + lx.pos + length;
  const after = latin1(await src.read(afterAt, 64));
  const m = /^\s*endstream\s*endobj/.exec(after);
  if (!m) throw new XrefError('stream /Length does not end at "endstream ... endobj"');
  return { num: h.num, gen: h.gen, dict, raw, end: afterAt + m[0].length };
}

async function readXrefStream(
  src: ByteSource,
  offset: number,
  budget: Budget,
): Promise<XrefSection> {
  const { dict, raw } = await readStreamObject(src, offset, 64 << 20);
  if (nameOf(get(dict, 'Type')) !== 'XRef')
    throw new XrefError('an xref offset points at an object that is not an xref stream');
  const w = get(dict, 'W');
  const widths = w?.kind === 'array' ? w.items.map((i) => num(i) ?? -1) : [];
  if (widths.length !== 3 || widths.some((x) => !Number.isInteger(x) || x < 0 || x > 8))
    throw new XrefError('bad /W in xref stream');
  const size = num(get(dict, 'Size'));
  if (size === undefined || !Number.isInteger(size) || size < 0)
    throw new XrefError('bad /Size in xref stream');
  const index = get(dict, 'Index');
  const ranges = index?.kind === 'array' ? index.items.map((i) => num(i) ?? -1) : [0, size];
  if (ranges.length % 2 !== 0 || ranges.some((x) => !Number.isInteger(x) || x < 0))
    throw new XrefError('bad /Index in xref stream');
  let rows = 0;
  for (let r = 1; r < ranges.length; r += 2) rows += ranges[r]!;
  if (budget.entries + rows > MAX_ENTRIES)
    throw new XrefError(`more than ${MAX_ENTRIES} cross-reference entries`);
  const rowLen = widths[0]! + widths[1]! + widths[2]!;
  if (rowLen === 0) throw new XrefError('bad /W in xref stream');
  // The rows are all that is needed: decoding stops there (a stream that inflates further is refused).
  const data = decodeStream(dict, raw, rows * rowLen);
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
    for (let i = 0; i < count; i++) {
      if (at + rowLen > data.length)
        throw new XrefError('xref stream is shorter than its /Index says');
      const type = field(widths[0]!, 1);
      const f2 = field(widths[1]!, 0);
      const f3 = field(widths[2]!, 0);
      if (type > 2) continue; // ISO 32000: other types are null references
      const n = first + i;
      if (entries.has(n)) duplicates.push(n);
      entries.set(
        n,
        type === 0
          ? { type: 'f', offset: f2, gen: f3 }
          : type === 1
            ? { type: 'n', offset: f2, gen: f3 }
            : { type: 'c', offset: f2, gen: f3 },
      );
    }
  }
  budget.entries += entries.size;
  return {
    offset,
    form: 'stream',
    entries,
    trailer: dict,
    prev: num(get(dict, 'Prev')),
    duplicates,
    conflicts: [],
  };
}

/**
 * The last "startxref N %%EOF" of the file, and where its line ends. Producers lay it out
 * differently (CR, LF or CRLF, extra spaces, no final newline, NUL padding): any whitespace is
 * accepted around the tokens, nothing else after them.
 */
export async function lastStartxref(src: ByteSource): Promise<{ startxref: number; end: number }> {
  const tailLen = Math.min(src.size, 2048);
  const from = src.size - tailLen;
  const tail = latin1(await src.read(from, tailLen));
  const m = /startxref\s+(\d{1,15})\s+%%EOF[\r\n \t\0]*$/.exec(tail);
  if (!m) {
    const at = tail.lastIndexOf('startxref');
    const eof = tail.lastIndexOf('%%EOF');
    const where =
      at >= 0
        ? `the last "startxref" is at byte ${from + at}, and what follows it is not that`
        : eof >= 0
          ? `no "startxref" comes before the last "%%EOF", at byte ${from + eof}`
          : `no "startxref" in its last ${tailLen} bytes, from byte ${from}`;
    throw new XrefError(
      `the file does not end with "startxref N %%EOF" (${where}): it was cut short, or data was appended`,
    );
  }
  return { startxref: Number(m[1]), end: src.size };
}

/** The xref offset a revision ending at `end` names: "startxref N %%EOF" just before `end`. */
export async function startxrefEndingAt(src: ByteSource, end: number): Promise<number | undefined> {
  const len = Math.min(end, 1024);
  const tail = latin1(await src.read(end - len, len));
  const m = /startxref\s+(\d{1,15})\s+%%EOF[\r\n \t\0]*$/.exec(tail);
  return m ? Number(m[1]) : undefined;
}

/** Reads the chain of xref sections from the file's last startxref back through /Prev. */
export async function readXrefChain(src: ByteSource): Promise<XrefChain> {
  const { startxref, end } = await lastStartxref(src);
  const sections: XrefSection[] = [];
  const seen = new Set<number>();
  const budget: Budget = { entries: 0 };
  let offset: number | undefined = startxref;
  while (offset !== undefined) {
    if (!Number.isInteger(offset) || offset < 0 || offset >= src.size)
      throw new XrefError(`an xref offset (${offset}) lies outside the file`);
    if (seen.has(offset)) throw new XrefError('the /Prev chain loops');
    if (sections.length >= MAX_SECTIONS)
      throw new XrefError(`the /Prev chain is longer than ${MAX_SECTIONS} sections`);
    seen.add(offset);
    const peek = latin1(await src.read(offset, 4));
    const section: XrefSection =
      peek === 'xref'
        ? await readTable(src, offset, budget)
        : await readXrefStream(src, offset, budget);
    if (section.xrefStm !== undefined) await mergeHybrid(src, section, budget);
    sections.push(section);
    offset = section.prev;
  }
  return { startxref, sections, end };
}

/** A hybrid file's table also names an xref stream (/XRefStm): its entries fill the table's gaps. */
async function mergeHybrid(src: ByteSource, table: XrefSection, budget: Budget): Promise<void> {
  const at = table.xrefStm!;
  if (!Number.isInteger(at) || at < 0 || at >= src.size)
    throw new XrefError(`the /XRefStm offset (${at}) lies outside the file`);
  const stm = await readXrefStream(src, at, budget);
  for (const [n, e] of stm.entries) {
    const t = table.entries.get(n);
    if (!t || (t.type === 'f' && e.type === 'c')) table.entries.set(n, e);
    else if (t.type !== e.type || t.offset !== e.offset) table.conflicts.push(n);
  }
}

/** The entry for an object as of a chain: the newest section that lists it. */
export function entryOf(chain: XrefChain, n: number): XrefEntry | undefined {
  for (const s of chain.sections) {
    const e = s.entries.get(n);
    if (e) return e;
  }
  return undefined;
}
