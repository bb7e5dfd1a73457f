// A small DER writer: what docprov encodes (CMS SignedData, ESS attributes, time-stamp requests)
// needs a handful of types, definite minimal lengths, and SET OF sorted by encoding (X.690 11.6).

export type Der = Uint8Array;

function lengthOctets(n: number): number[] {
  if (n < 0x80) return [n];
  const out: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) out.unshift(v & 0xff);
  return [0x80 | out.length, ...out];
}

export function tlv(tag: number, content: Uint8Array): Der {
  const len = lengthOctets(content.length);
  const out = new Uint8Array(1 + len.length + content.length);
  out[0] = tag;
  out.set(len, 1);
  out.set(content, 1 + len.length);
  return out;
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const compare = (a: Uint8Array, b: Uint8Array): number => {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
};

export const seq = (items: readonly Der[]): Der => tlv(0x30, concat(items));
/** SET OF, sorted by encoding as DER requires; `tag` re-tags it (e.g. [0] IMPLICIT). */
export const setOf = (items: readonly Der[], tag = 0x31): Der =>
  tlv(tag, concat([...items].sort(compare)));
export const octets = (b: Uint8Array): Der => tlv(0x04, b);
export const nul = (): Der => new Uint8Array([0x05, 0x00]);
export const bool = (v: boolean): Der => new Uint8Array([0x01, 0x01, v ? 0xff : 0x00]);
/** [n] EXPLICIT (constructed, context-specific). */
export const explicit = (n: number, inner: Der): Der => tlv(0xa0 | n, inner);

/** INTEGER from a non-negative number or big-endian magnitude bytes. */
export function int(v: number | Uint8Array): Der {
  let b: number[];
  if (typeof v === 'number') {
    b = [];
    for (let x = v; x > 0; x = Math.floor(x / 256)) b.unshift(x & 0xff);
    if (b.length === 0) b = [0];
  } else {
    let i = 0;
    while (i < v.length - 1 && v[i] === 0) i++;
    b = [...v.subarray(i)];
  }
  if (b[0]! & 0x80) b.unshift(0);
  return tlv(0x02, Uint8Array.from(b));
}

export function oid(dotted: string): Der {
  const parts = dotted.split('.').map(Number);
  const out: number[] = [];
  const push = (v: number) => {
    const tmp = [v & 0x7f];
    for (let x = Math.floor(v / 128); x > 0; x = Math.floor(x / 128))
      tmp.unshift(0x80 | (x & 0x7f));
    out.push(...tmp);
  };
  push(parts[0]! * 40 + parts[1]!);
  for (const p of parts.slice(2)) push(p);
  return tlv(0x06, Uint8Array.from(out));
}

export const algorithm = (dotted: string, params?: Der): Der =>
  seq(params ? [oid(dotted), params] : [oid(dotted)]);
