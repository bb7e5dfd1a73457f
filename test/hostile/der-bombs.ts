// Hostile CMS blobs for a signature's /Contents: deep nesting (definite and indefinite lengths)
// and a certificate with 100,000 extensions. Built with a minimal DER writer, linear in size.
const u8 = (...parts: (Uint8Array | number[])[]) =>
  new Uint8Array(Buffer.concat(parts.map((p) => Buffer.from(p))));

function lengthBytes(n: number): number[] {
  if (n < 0x80) return [n];
  const out: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) out.unshift(v & 0xff);
  return [0x80 | out.length, ...out];
}

export const tlv = (tag: number, ...body: Uint8Array[]): Uint8Array => {
  const inner = u8(...body);
  return u8([tag, ...lengthBytes(inner.length)], inner);
};

const oid = (bytes: number[]) => tlv(0x06, new Uint8Array(bytes));
const SIGNED_DATA = oid([0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02]);
const DATA = oid([0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01]);
const SHA256 = oid([0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01]);
const SHA256_RSA = oid([0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b]);
const VERSION_1 = tlv(0x02, new Uint8Array([1]));

/** ContentInfo { signedData, [0] SignedData { version, `digestAlgorithms`, data, `rest` } }. */
const signedData = (digestAlgorithms: Uint8Array, ...rest: Uint8Array[]) =>
  tlv(
    0x30,
    SIGNED_DATA,
    tlv(0xa0, tlv(0x30, VERSION_1, digestAlgorithms, tlv(0x30, DATA), ...rest)),
  );

/** `depth` SETs nested inside each other, headers computed inside out: no quadratic copying. */
export function nestedSets(depth: number): Uint8Array {
  const headers: number[][] = [];
  let len = 0;
  for (let i = 0; i < depth; i++) {
    const h = [0x31, ...lengthBytes(len)];
    headers.push(h);
    len += h.length;
  }
  return signedData(new Uint8Array(headers.reverse().flat()), tlv(0x31));
}

/** A SignedData whose digestAlgorithms nest `depth` indefinite-length SETs, BER style. */
export function indefiniteNesting(depth: number): Uint8Array {
  const open = [0x30, 0x80, ...SIGNED_DATA, 0xa0, 0x80, 0x30, 0x80, ...VERSION_1];
  const sets = new Array(depth).fill([0x31, 0x80]).flat();
  const close = new Array(depth + 3).fill([0x00, 0x00]).flat();
  return new Uint8Array([...open, ...sets, ...close]);
}

/** A certificate with `count` distinct, tiny extensions (OIDs 1.2.3.n), inside a SignedData. */
export function manyExtensions(count: number): Uint8Array {
  // A P-256 key whose point is the curve's generator: valid, and the same on every run.
  const G =
    '046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296' +
    '4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5';
  const spki = tlv(
    0x30,
    tlv(
      0x30,
      oid([0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01]),
      oid([0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07]),
    ),
    tlv(0x03, u8([0], Buffer.from(G, 'hex'))),
  );
  const name = tlv(
    0x30,
    tlv(0x31, tlv(0x30, oid([0x55, 0x04, 0x03]), tlv(0x0c, u8(Buffer.from('x'))))),
  );
  const time = (s: string) => tlv(0x17, u8(Buffer.from(s)));
  const exts: Uint8Array[] = [];
  for (let n = 0; n < count; n++) {
    const arc = [0x80 | ((n >> 14) & 0x7f), 0x80 | ((n >> 7) & 0x7f), n & 0x7f];
    exts.push(tlv(0x30, oid([0x2a, 0x03, ...arc]), tlv(0x04, new Uint8Array(0))));
  }
  const alg = tlv(0x30, SHA256_RSA, tlv(0x05));
  const tbs = tlv(
    0x30,
    tlv(0xa0, tlv(0x02, new Uint8Array([2]))),
    tlv(0x02, new Uint8Array([1])),
    alg,
    name,
    tlv(0x30, time('000101000000Z'), time('491231000000Z')),
    name,
    spki,
    tlv(0xa3, tlv(0x30, new Uint8Array(Buffer.concat(exts)))),
  );
  const cert = tlv(0x30, tbs, alg, tlv(0x03, new Uint8Array(65)));
  return signedData(tlv(0x31, tlv(0x30, SHA256)), tlv(0xa0, cert), tlv(0x31));
}
