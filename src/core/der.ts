import forge from 'node-forge';

// node-forge speaks "binary strings" (one char per byte); the core speaks Uint8Array.

export const asn1 = forge.asn1;
export type Asn1 = forge.asn1.Asn1;

export function toBinary(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return s;
}

export function fromBinary(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

export function encode(node: Asn1): Uint8Array {
  return fromBinary(asn1.toDer(node).getBytes());
}

const { Class, Type } = asn1;
export const seq = (items: Asn1[]) => asn1.create(Class.UNIVERSAL, Type.SEQUENCE, true, items);
export const oid = (dotted: string) =>
  asn1.create(Class.UNIVERSAL, Type.OID, false, asn1.oidToDer(dotted).getBytes());
export const octets = (bytes: Uint8Array) =>
  asn1.create(Class.UNIVERSAL, Type.OCTETSTRING, false, toBinary(bytes));
export const int = (n: number) =>
  asn1.create(Class.UNIVERSAL, Type.INTEGER, false, asn1.integerToDer(n).getBytes());
export const nul = () => asn1.create(Class.UNIVERSAL, Type.NULL, false, '');
export const explicit = (tag: number, inner: Asn1) =>
  asn1.create(Class.CONTEXT_SPECIFIC, tag, true, [inner]);

/** DER SET OF: the elements sorted by their encodings (X.690 11.6). */
export function setOf(items: Asn1[], tagClass = Class.UNIVERSAL, tag: number = Type.SET): Asn1 {
  const encoded = items.map((i) => ({ i, der: asn1.toDer(i).getBytes() }));
  encoded.sort((a, b) => (a.der < b.der ? -1 : a.der > b.der ? 1 : 0));
  return asn1.create(
    tagClass,
    tag,
    true,
    encoded.map((e) => e.i),
  );
}

/**
 * Parses one DER value strictly: the whole input, definite lengths. forge's X.509 reader needs
 * BIT STRINGs decoded (the public key), so certificates ask for that.
 */
export function decode(bytes: Uint8Array, decodeBitStrings = false): Asn1 {
  return asn1.fromDer(toBinary(bytes), {
    strict: true,
    parseAllBytes: true,
    decodeBitStrings,
  } as never);
}

export { OID } from './oids.js';
