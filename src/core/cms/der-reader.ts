// A strict DER reader for hostile input: definite, minimal lengths only; low-tag-number form only;
// bounded depth and node count; every length checked against the bytes actually there.

export interface Tlv {
  /** The identifier octet. */
  tag: number;
  constructed: boolean;
  start: number;
  headerLength: number;
  length: number;
  end: number;
  children: Tlv[];
}

export class DerError extends Error {}

const MAX_DEPTH = 24;
const MAX_NODES = 50_000;

export function readDer(bytes: Uint8Array, start = 0, end = bytes.length): Tlv {
  let nodes = 0;
  const read = (at: number, limit: number, depth: number): Tlv => {
    if (depth > MAX_DEPTH) throw new DerError(`DER nested deeper than ${MAX_DEPTH}`);
    if (++nodes > MAX_NODES) throw new DerError('DER has too many elements');
    if (at + 2 > limit) throw new DerError(`DER truncated at byte ${at}`);
    const tag = bytes[at]!;
    if ((tag & 0x1f) === 0x1f)
      throw new DerError('high-tag-number form is not used in CMS or X.509');
    let len = bytes[at + 1]!;
    let header = 2;
    if (len === 0x80) throw new DerError('indefinite length is BER, not DER');
    if (len > 0x80) {
      const n = len & 0x7f;
      if (n > 4) throw new DerError('DER length too large');
      if (at + 2 + n > limit) throw new DerError(`DER truncated at byte ${at}`);
      len = 0;
      for (let k = 0; k < n; k++) len = len * 256 + bytes[at + 2 + k]!;
      if (bytes[at + 2] === 0 || len < 0x80)
        throw new DerError('DER length not in its shortest form');
      header += n;
    }
    const bodyStart = at + header;
    const bodyEnd = bodyStart + len;
    if (bodyEnd > limit) throw new DerError(`DER element at byte ${at} runs past its container`);
    const constructed = (tag & 0x20) !== 0;
    const children: Tlv[] = [];
    if (constructed) {
      for (let p = bodyStart; p < bodyEnd;) {
        const child = read(p, bodyEnd, depth + 1);
        children.push(child);
        p = child.end;
      }
    }
    return {
      tag,
      constructed,
      start: at,
      headerLength: header,
      length: len,
      end: bodyEnd,
      children,
    };
  };
  const root = read(start, end, 0);
  if (root.end !== end) throw new DerError(`${end - root.end} bytes follow the DER value`);
  return root;
}

export const body = (bytes: Uint8Array, t: Tlv): Uint8Array =>
  bytes.subarray(t.start + t.headerLength, t.end);
export const whole = (bytes: Uint8Array, t: Tlv): Uint8Array => bytes.subarray(t.start, t.end);

export const TAG = {
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

export function decodeOid(b: Uint8Array): string {
  if (b.length === 0 || b.length > 64) throw new DerError('bad OID');
  const parts: number[] = [];
  let v = 0;
  for (let i = 0; i < b.length; i++) {
    v = v * 128 + (b[i]! & 0x7f);
    if (v > Number.MAX_SAFE_INTEGER / 128) throw new DerError('OID component too large');
    if (!(b[i]! & 0x80)) {
      parts.push(v);
      v = 0;
    } else if (i === b.length - 1) throw new DerError('truncated OID');
  }
  const first = parts.shift()!;
  const head = first < 40 ? [0, first] : first < 80 ? [1, first - 40] : [2, first - 80];
  return [...head, ...parts].join('.');
}

/** Expects a child with a tag; throws a DerError naming what was expected. */
export function child(t: Tlv, index: number, tag: number, what: string): Tlv {
  const c = t.children[index];
  if (!c || c.tag !== tag) throw new DerError(`expected ${what}`);
  return c;
}
