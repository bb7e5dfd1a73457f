// Completes a signature whose dictionary was written with placeholders: the /ByteRange is set to
// everything but the /Contents hex string, then the CMS over those bytes is written into it.
import { BYTE_RANGE_PLACEHOLDER } from './sig-field.js';
import { bytesOf, latin1 } from './pdf-update.js';

/** Makes a detached CMS (DER or BER) over the signed bytes. */
export type CmsMaker = (signed: Uint8Array) => Uint8Array;

/** The gap [b, c) of the last placeholder signature: its /Contents string, brackets included. */
export function placeholderGap(pdf: Uint8Array): { range: number; b: number; c: number } {
  const t = latin1(pdf);
  const range = t.lastIndexOf(BYTE_RANGE_PLACEHOLDER);
  if (range < 0) throw new Error('no /ByteRange placeholder');
  const objStart = t.lastIndexOf(' obj', range);
  const b = t.indexOf('/Contents <', objStart) + '/Contents '.length;
  const c = t.indexOf('>', b) + 1;
  return { range, b, c };
}

export function fillSignature(pdf: Uint8Array, makeCms: CmsMaker): Uint8Array {
  const { range, b, c } = placeholderGap(pdf);
  const out = new Uint8Array(pdf);
  const filled = `/ByteRange [0 ${b} ${c} ${pdf.length - c}`;
  const text = filled + ' '.repeat(BYTE_RANGE_PLACEHOLDER.length - filled.length - 1) + ']';
  out.set(bytesOf(text), range);
  const signed = Buffer.concat([out.subarray(0, b), out.subarray(c)]);
  const hex = Buffer.from(makeCms(signed)).toString('hex').toUpperCase();
  if (hex.length > c - b - 2)
    throw new Error(`the CMS needs ${hex.length} hex digits, ${c - b - 2} reserved`);
  out.set(bytesOf(hex), b + 1);
  return out;
}
