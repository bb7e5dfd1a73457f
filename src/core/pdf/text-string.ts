// PDF text strings (ISO 32000-2 7.9.2.2): UTF-16BE or UTF-8 with a byte order mark, else
// PDFDocEncoding, which matches Latin-1 for the characters docprov writes.

const utf16 = new TextDecoder('utf-16be');
const utf8 = new TextDecoder('utf-8');

export function textString(b: Uint8Array): string {
  if (b[0] === 0xfe && b[1] === 0xff) return utf16.decode(b.subarray(2));
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return utf8.decode(b.subarray(3));
  let s = '';
  for (const x of b) s += String.fromCharCode(x);
  return s;
}
