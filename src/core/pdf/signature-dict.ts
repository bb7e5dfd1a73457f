import { get, nameOf, num, PdfLexer, PdfSyntaxError, type PdfValue } from './lexer.js';
import { findIn } from './scan.js';
import { latin1, type ByteSource } from './source.js';
import type { XrefChain } from './xref.js';

// Signature dictionaries, found through the cross-reference sections (every object in use) and
// parsed where they are, with the byte positions the structural rules need. Each object is read
// only within its own extent (up to the next object), so the search is linear in the file.

export interface SignatureDict {
  objectNumber: number;
  objectStart: number;
  /** Offsets of the dictionary itself, "<<" to ">>". */
  dictStart: number;
  dictEnd: number;
  /** /Type: Sig or DocTimeStamp (undefined when absent). */
  type: string | undefined;
  byteRange: number[] | undefined;
  /** Offsets of the /Contents hex string token, "<" to just after ">". */
  contentsStart: number | undefined;
  contentsEnd: number | undefined;
  contentsIsHex: boolean;
  contents: Uint8Array | undefined;
  subFilter: string | undefined;
  /** /M as written, and parsed. */
  m: string | undefined;
  time: Date | undefined;
  /** DocMDP permission level when this is a certification signature. */
  docMdp: number | undefined;
  duplicateKeys: string[];
}

export type FoundDict = SignatureDict | { error: string; objectStart: number };

/** /Contents is at most 1 MiB of bytes: 2 MiB of hex, with room for the rest of the dictionary. */
const MAX_SIG_OBJECT = (2 << 20) + (64 << 10);
const FIRST_WINDOW = 4096;
const MAX_SIGNATURES = 64;
const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const BYTE_RANGE = ascii('/ByteRange');
const CONTENTS = ascii('/Contents');

/** Parses a PDF date "D:YYYYMMDDHHmmSS+HH'mm'" (or Z). */
export function parsePdfDate(s: string): Date | undefined {
  const m = /^D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?([Zz]|[+-]\d{2}'?\d{2}'?)?/.exec(s);
  if (!m) return undefined;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', se = '00', tz = 'Z'] = m;
  let offset = 0;
  if (tz !== 'Z' && tz !== 'z') {
    const t = /([+-])(\d{2})'?(\d{2})/.exec(tz)!;
    offset = (t[1] === '-' ? -1 : 1) * (Number(t[2]) * 60 + Number(t[3]));
  }
  const date = new Date(Date.UTC(+y!, +mo - 1, +d, +h, +mi, +se) - offset * 60_000);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function docMdpLevel(dict: PdfValue): number | undefined {
  const refs = get(dict, 'Reference');
  if (refs?.kind !== 'array') return undefined;
  for (const r of refs.items) {
    if (nameOf(get(r, 'TransformMethod')) === 'DocMDP')
      return num(get(get(r, 'TransformParams'), 'P')) ?? 2;
  }
  return undefined;
}

function describe(
  header: { num: number },
  objectStart: number,
  dict: PdfValue & { kind: 'dict' },
): SignatureDict {
  const br = get(dict, 'ByteRange');
  const byteRange =
    br?.kind === 'array' &&
    br.items.every((i) => i.kind === 'number' && Number.isInteger(i.value) && i.value >= 0)
      ? br.items.map((i) => num(i)!)
      : undefined;
  const contents = get(dict, 'Contents');
  const m = get(dict, 'M');
  const mText = m?.kind === 'string' ? latin1(m.bytes) : undefined;
  return {
    objectNumber: header.num,
    objectStart,
    dictStart: dict.start,
    dictEnd: dict.end,
    type: nameOf(get(dict, 'Type')),
    byteRange,
    contentsStart: contents?.kind === 'string' ? contents.start : undefined,
    contentsEnd: contents?.kind === 'string' ? contents.end : undefined,
    contentsIsHex: contents?.kind === 'string' && contents.hex,
    contents: contents?.kind === 'string' ? contents.bytes : undefined,
    subFilter: nameOf(get(dict, 'SubFilter')),
    m: mText,
    time: mText ? parsePdfDate(mText) : undefined,
    docMdp: docMdpLevel(dict),
    duplicateKeys: dict.duplicateKeys,
  };
}

/** The signature dictionary of the object at `at`, if it is one, reading at most `extent` bytes. */
async function readAt(src: ByteSource, at: number, extent: number): Promise<FoundDict | undefined> {
  let bytes = await src.read(at, Math.min(extent, FIRST_WINDOW));
  if (findIn(bytes, BYTE_RANGE).length === 0) {
    // A signer may write a long /Contents before /ByteRange: read on, within the object.
    if (bytes.length === extent || findIn(bytes, CONTENTS).length === 0) return undefined;
    bytes = await src.read(at, Math.min(extent, MAX_SIG_OBJECT));
    if (findIn(bytes, BYTE_RANGE).length === 0) return undefined;
  } else if (bytes.length < extent) bytes = await src.read(at, Math.min(extent, MAX_SIG_OBJECT));
  const lx = new PdfLexer(bytes, 0, at);
  const header = lx.objectHeader();
  if (!header) return undefined;
  let dict: PdfValue;
  try {
    dict = lx.value();
  } catch (e) {
    if (e instanceof PdfSyntaxError) return { error: e.message, objectStart: at };
    throw e;
  }
  // /ByteRange inside a stream's data or a nested dictionary is not a signature dictionary.
  if (dict.kind !== 'dict' || !dict.entries.has('ByteRange')) return undefined;
  return describe(header, at, dict);
}

/** Every signature dictionary among the objects the xref sections list (at most 64). */
export async function findSignatureDicts(src: ByteSource, chain: XrefChain): Promise<FoundDict[]> {
  const starts = new Set<number>();
  for (const s of chain.sections)
    for (const e of s.entries.values())
      if (e.type === 'n' && e.offset < src.size) starts.add(e.offset);
  const bounds = [...starts, ...chain.sections.map((s) => s.offset), src.size].sort(
    (a, b) => a - b,
  );
  const found: FoundDict[] = [];
  let k = 0;
  for (const at of [...starts].sort((a, b) => a - b)) {
    while (bounds[k]! <= at) k++;
    const d = await readAt(src, at, bounds[k]! - at);
    if (d) found.push(d);
    if (found.length > MAX_SIGNATURES)
      throw new PdfSyntaxError(`more than ${MAX_SIGNATURES} signature dictionaries`, at);
  }
  return found;
}

const SCAN_CHUNK = 8 << 20;
const BACK = 1 << 16;

/**
 * For a file whose xref cannot be read: the signature dictionaries found by scanning for
 * "/ByteRange" (the first 64 hits), to say what is wrong with them. Linear: one pass, and a
 * bounded read around each hit.
 */
export async function scanSignatureDicts(src: ByteSource): Promise<FoundDict[]> {
  // A set, and the cap checked at every hit: a file of nothing but "/ByteRange" stays linear.
  const hits = new Set<number>();
  scan: for (
    let at = 0;
    at < src.size && hits.size < MAX_SIGNATURES;
    at += SCAN_CHUNK - BYTE_RANGE.length
  ) {
    const chunk = await src.read(at, SCAN_CHUNK);
    for (const i of findIn(chunk, BYTE_RANGE)) {
      hits.add(at + i);
      if (hits.size >= MAX_SIGNATURES) break scan;
    }
  }
  const found: FoundDict[] = [];
  const starts = new Set<number>();
  for (const hit of hits) {
    const back = Math.min(hit, BACK);
    const before = latin1(await src.read(hit - back, back));
    const headers = [...before.matchAll(/(?:^|[\s>])(\d{1,10})\s+(\d{1,5})\s+obj\b/g)];
    const h = headers[headers.length - 1];
    if (!h) continue;
    const start = hit - back + h.index! + h[0].length - h[0].trimStart().length;
    if (starts.has(start)) continue;
    starts.add(start);
    const d = await readAt(src, start, src.size - start);
    if (d && ('error' in d || d.dictEnd > hit)) found.push(d);
  }
  return found;
}
