// An ASN.1 reader for hostile input. DER by default: definite, minimal lengths. With `ber`, it
// also takes what BER allows and real signers write (NSS writes CMS with indefinite lengths):
// indefinite lengths on constructed values and non-minimal length octets. Always bounded: depth,
// element count and every length checked against the bytes there; time linear in the input.

export interface Tlv {
  /** The identifier octet (low-tag-number form only). */
  tag: number;
  constructed: boolean;
  start: number;
  headerLength: number;
  /** Length of the contents (without an end-of-contents marker). */
  length: number;
  /** Offset just after the element (after its end-of-contents marker when indefinite). */
  end: number;
  children: Tlv[];
  /** Set when this element or one inside it uses an encoding DER forbids. */
  ber: boolean;
}

export class Asn1Error extends Error {}

export interface ReadOptions {
  /** Accept BER encodings (indefinite and non-minimal lengths). */
  ber?: boolean;
  /** Deepest nesting accepted: a timestamp token inside a CMS nests ~20 deep; 64 leaves room. */
  maxDepth?: number;
  maxElements?: number;
  /** Accept bytes after the value (a signature's zero padding): `end` then marks where it ends. */
  allowTrailing?: boolean;
}

const DEFAULT_DEPTH = 64;
const DEFAULT_ELEMENTS = 500_000;

export function readAsn1(
  bytes: Uint8Array,
  opts: ReadOptions = {},
  start = 0,
  end = bytes.length,
): Tlv {
  const maxDepth = opts.maxDepth ?? DEFAULT_DEPTH;
  const maxElements = opts.maxElements ?? DEFAULT_ELEMENTS;
  let elements = 0;
  const read = (at: number, limit: number, depth: number): Tlv => {
    if (depth > maxDepth) throw new Asn1Error(`ASN.1 nested deeper than ${maxDepth}`);
    if (++elements > maxElements) throw new Asn1Error('ASN.1 value has too many elements');
    if (at + 2 > limit) throw new Asn1Error(`ASN.1 truncated at byte ${at}`);
    const tag = bytes[at]!;
    if ((tag & 0x1f) === 0x1f) throw new Asn1Error('high-tag-number form is not used here');
    const constructed = (tag & 0x20) !== 0;
    let len = bytes[at + 1]!;
    let header = 2;
    let ber = false;
    if (len === 0x80) {
      if (!opts.ber) throw new Asn1Error('indefinite length is BER, not DER');
      if (!constructed) throw new Asn1Error('indefinite length on a primitive value');
      const children: Tlv[] = [];
      let p = at + 2;
      for (;;) {
        if (p + 2 > limit) throw new Asn1Error(`ASN.1 value at byte ${at} has no end marker`);
        if (bytes[p] === 0 && bytes[p + 1] === 0) break;
        const c = read(p, limit, depth + 1);
        children.push(c);
        p = c.end;
      }
      return {
        tag,
        constructed,
        start: at,
        headerLength: 2,
        length: p - at - 2,
        end: p + 2,
        children,
        ber: true,
      };
    }
    if (len > 0x80) {
      const n = len & 0x7f;
      if (at + 2 + n > limit) throw new Asn1Error(`ASN.1 truncated at byte ${at}`);
      len = 0;
      for (let k = 0; k < n; k++) {
        len = len * 256 + bytes[at + 2 + k]!;
        if (len > limit) throw new Asn1Error(`ASN.1 value at byte ${at} runs past its container`);
      }
      if (bytes[at + 2] === 0 || len < 0x80) {
        if (!opts.ber) throw new Asn1Error('DER length not in its shortest form');
        ber = true;
      }
      header += n;
    }
    const bodyStart = at + header;
    const bodyEnd = bodyStart + len;
    if (bodyEnd > limit) throw new Asn1Error(`ASN.1 value at byte ${at} runs past its container`);
    const children: Tlv[] = [];
    if (constructed)
      for (let p = bodyStart; p < bodyEnd;) {
        const c = read(p, bodyEnd, depth + 1);
        children.push(c);
        ber ||= c.ber;
        p = c.end;
      }
    return {
      tag,
      constructed,
      start: at,
      headerLength: header,
      length: len,
      end: bodyEnd,
      children,
      ber,
    };
  };
  const root = read(start, end, 0);
  if (root.end !== end && !opts.allowTrailing)
    throw new Asn1Error(`${end - root.end} bytes follow the ASN.1 value`);
  return root;
}

/** Strict DER, as certificates and anything hashed must be. */
export const readDer = (bytes: Uint8Array, start = 0, end = bytes.length): Tlv =>
  readAsn1(bytes, {}, start, end);

export const body = (bytes: Uint8Array, t: Tlv): Uint8Array =>
  bytes.subarray(t.start + t.headerLength, t.start + t.headerLength + t.length);
export const whole = (bytes: Uint8Array, t: Tlv): Uint8Array => bytes.subarray(t.start, t.end);

/** The octets of a string type, joining BER's constructed form (chunks of the same type). */
export function stringBytes(bytes: Uint8Array, t: Tlv): Uint8Array {
  if (!t.constructed) return body(bytes, t);
  const parts = t.children.map((c) => stringBytes(bytes, c));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  ENUMERATED: 0x0a,
  UTF8_STRING: 0x0c,
  SEQUENCE: 0x30,
  SET: 0x31,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
} as const;

export function decodeOid(b: Uint8Array): string {
  if (b.length === 0 || b.length > 64) throw new Asn1Error('bad OID');
  const parts: number[] = [];
  let v = 0;
  for (let i = 0; i < b.length; i++) {
    v = v * 128 + (b[i]! & 0x7f);
    if (v > Number.MAX_SAFE_INTEGER / 128) throw new Asn1Error('OID component too large');
    if (!(b[i]! & 0x80)) {
      parts.push(v);
      v = 0;
    } else if (i === b.length - 1) throw new Asn1Error('truncated OID');
  }
  const first = parts.shift()!;
  const head = first < 40 ? [0, first] : first < 80 ? [1, first - 40] : [2, first - 80];
  return [...head, ...parts].join('.');
}

/** Expects a child with a tag; throws an Asn1Error naming what was expected. */
export function child(t: Tlv, index: number, tag: number, what: string): Tlv {
  const c = t.children[index];
  if (!c || c.tag !== tag) throw new Asn1Error(`expected ${what}`);
  return c;
}

export const oidOf = (bytes: Uint8Array, t: Tlv | undefined, what: string): string => {
  if (!t || t.tag !== TAG.OID) throw new Asn1Error(`expected ${what}`);
  return decodeOid(body(bytes, t));
};

/** A non-negative INTEGER as a number (for versions, counts); refuses what does not fit. */
export function smallInt(bytes: Uint8Array, t: Tlv | undefined, what: string): number {
  if (!t || (t.tag !== TAG.INTEGER && t.tag !== TAG.ENUMERATED))
    throw new Asn1Error(`expected ${what}`);
  const b = body(bytes, t);
  if (b.length === 0 || b.length > 6 || (b[0]! & 0x80) !== 0) throw new Asn1Error(`bad ${what}`);
  return b.reduce((n, x) => n * 256 + x, 0);
}

/** UTCTime or GeneralizedTime (the Z forms RFC 5280 and RFC 3161 use; fractions allowed). */
export function timeOf(bytes: Uint8Array, t: Tlv | undefined, what: string): Date {
  if (!t) throw new Asn1Error(`expected ${what}`);
  const s = String.fromCharCode(...body(bytes, t));
  const m =
    t.tag === TAG.UTC_TIME
      ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s)
      : t.tag === TAG.GENERALIZED_TIME
        ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\.\d{1,9})?Z$/.exec(s)
        : null;
  if (!m) throw new Asn1Error(`bad ${what} "${s.slice(0, 32)}"`);
  let year = Number(m[1]);
  if (t.tag === TAG.UTC_TIME) year += year < 50 ? 2000 : 1900;
  const ms = m[7] ? Math.floor(Number(`0${m[7]}`) * 1000) : 0;
  return new Date(
    Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), ms),
  );
}
