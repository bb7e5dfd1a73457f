import { get, nameOf, num, PdfLexer, type PdfValue } from '../pdf/lexer.js';
import { latin1, type ByteSource } from '../pdf/source.js';

// A signature dictionary found in the file, with the byte positions the structural rules need.

export interface SignatureDict {
  objectNumber: number;
  /** Offsets of the dictionary itself, "<<" to ">>". */
  dictStart: number;
  dictEnd: number;
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

const MAX_CONTENTS = 1 << 20;

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

/**
 * Reads the signature dictionary around a "/ByteRange" at `at`: the dictionary, `undefined` when
 * the text is not in an object at all (e.g. inside a stream), or an error when an object that
 * holds /ByteRange cannot be parsed strictly.
 */
export async function readSignatureDict(
  src: ByteSource,
  at: number,
): Promise<SignatureDict | { error: string; objectStart: number } | undefined> {
  const backLen = Math.min(at, 1 << 16);
  const before = latin1(await src.read(at - backLen, backLen));
  const headers = [...before.matchAll(/(?:^|[\s>])(\d{1,10})\s+(\d{1,5})\s+obj\b/g)];
  const h = headers[headers.length - 1];
  if (!h) return undefined;
  const objStart = at - backLen + h.index! + h[0].length - h[0].trimStart().length;
  const window = await src.read(objStart, at - objStart + MAX_CONTENTS * 2 + 65536);
  const lx = new PdfLexer(window, 0, objStart);
  const header = lx.objectHeader();
  if (!header) return undefined;
  let dict: PdfValue;
  try {
    dict = lx.value();
  } catch (e) {
    // Only an object whose own dictionary reaches this /ByteRange counts as a broken signature.
    return { error: (e as Error).message, objectStart: objStart };
  }
  if (dict.kind !== 'dict' || dict.end < at) return undefined;
  if (!dict.entries.has('ByteRange')) return undefined;
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
    dictStart: dict.start,
    dictEnd: dict.end,
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
