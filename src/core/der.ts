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

export const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  signingCertificate: '1.2.840.113549.1.9.16.2.12',
  sha1: '1.3.14.3.2.26',
  md5: '1.2.840.113549.2.5',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha256WithRSA: '1.2.840.113549.1.1.11',
  sha384WithRSA: '1.2.840.113549.1.1.12',
  sha512WithRSA: '1.2.840.113549.1.1.13',
  documentSigning: '1.3.6.1.5.5.7.3.36',
  emailProtection: '1.3.6.1.5.5.7.3.4',
  adobeAuthenticDocuments: '1.2.840.113583.1.1.5',
} as const;
