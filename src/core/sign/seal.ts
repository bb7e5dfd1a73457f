import type { CryptoProvider, DigestAlgorithm } from '../crypto.js';
import { DocprovError } from '../errors.js';

// A signature dictionary is written with room for its /Contents; once the file is whole, its
// /ByteRange is filled in, the bytes outside /Contents are hashed, and the signature (a CMS, or
// a time-stamp token) is written into the room left for it.

const PLACEHOLDER = '[0 0000000000 0000000000 0000000000]';
const enc = new TextEncoder();

/** The dictionary entries /ByteRange and /Contents with room for `reserve` bytes. */
export const placeholder = (reserve: number): string =>
  `/ByteRange ${PLACEHOLDER} /Contents <${'0'.repeat(reserve * 2)}>`;

export async function seal(
  pdf: Uint8Array,
  reserve: number,
  hash: DigestAlgorithm,
  crypto: CryptoProvider,
  contents: (rangesDigest: Uint8Array) => Promise<Uint8Array>,
): Promise<Uint8Array> {
  // The placeholder is in the update just written: search from the end.
  const window = pdf.length - Math.min(pdf.length, reserve * 2 + (1 << 20));
  let text = '';
  for (let i = window; i < pdf.length; i += 0x8000)
    text += String.fromCharCode(...pdf.subarray(i, Math.min(pdf.length, i + 0x8000)));
  const br = text.lastIndexOf(`/ByteRange ${PLACEHOLDER}`);
  if (br < 0) throw new Error('no signature placeholder in the update');
  const contentsAt = window + br + `/ByteRange ${PLACEHOLDER} /Contents `.length;
  const contentsEnd = contentsAt + reserve * 2 + 2;
  const range = [0, contentsAt, contentsEnd, pdf.length - contentsEnd];
  const out = new Uint8Array(pdf);
  out.set(
    enc.encode(`[${range.join(' ')}]`.padEnd(PLACEHOLDER.length, ' ')),
    window + br + '/ByteRange '.length,
  );
  const h = crypto.createHash(hash);
  h.update(out.subarray(0, contentsAt));
  h.update(out.subarray(contentsEnd));
  const value = await contents(h.digest());
  if (value.length > reserve)
    throw new DocprovError(
      'signature-too-large',
      `the signature (${value.length} bytes) does not fit its reserved ${reserve} bytes`,
    );
  let hex = '';
  for (const b of value) hex += b.toString(16).padStart(2, '0');
  out.set(enc.encode(hex.toUpperCase()), contentsAt + 1);
  return out;
}
