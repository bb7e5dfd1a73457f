// A small DER writer: each helper returns the encoding of one value, so structures are built
// from the inside out. Existing DER (certificates, names) is spliced in as it is.

export { OID } from './oids.js';

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function length(n: number): Uint8Array {
  if (n < 0x80) return Uint8Array.of(n);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

export const tlv = (tag: number, content: Uint8Array): Uint8Array =>
  concat([Uint8Array.of(tag), length(content.length), content]);
export const seq = (items: Uint8Array[]) => tlv(0x30, concat(items));
export const octets = (bytes: Uint8Array) => tlv(0x04, bytes);
export const nul = () => Uint8Array.of(0x05, 0x00);
/** [tag] EXPLICIT, constructed context-specific. */
export const explicit = (tag: number, inner: Uint8Array) => tlv(0xa0 | tag, inner);

/** A small non-negative INTEGER. */
export function int(n: number): Uint8Array {
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  if (bytes.length === 0 || bytes[0]! & 0x80) bytes.unshift(0);
  return tlv(0x02, Uint8Array.from(bytes));
}

export function oid(dotted: string): Uint8Array {
  const parts = dotted.split('.').map(Number);
  const out: number[] = [parts[0]! * 40 + parts[1]!];
  for (const p of parts.slice(2)) {
    const base128: number[] = [p & 0x7f];
    for (let v = Math.floor(p / 128); v > 0; v = Math.floor(v / 128))
      base128.unshift(0x80 | (v & 0x7f));
    out.push(...base128);
  }
  return tlv(0x06, Uint8Array.from(out));
}

function compare(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** DER SET OF (or an IMPLICIT tag standing for one): the elements sorted by encoding (X.690 11.6). */
export function setOf(items: Uint8Array[], tag = 0x31): Uint8Array {
  return tlv(tag, concat([...items].sort(compare)));
}
