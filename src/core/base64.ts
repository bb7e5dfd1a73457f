// Standard base64 (RFC 4648 section 4), strict: a decoder that accepts one encoding per value,
// so a signed note or proof cannot be re-encoded into a second form that still parses.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const [a, b, c] = [bytes[i]!, bytes[i + 1], bytes[i + 2]];
    s += ALPHABET[a >> 2]! + ALPHABET[((a & 3) << 4) | ((b ?? 0) >> 4)]!;
    s += b === undefined ? '=' : ALPHABET[((b & 15) << 2) | ((c ?? 0) >> 6)]!;
    s += c === undefined ? '=' : ALPHABET[c & 63]!;
  }
  return s;
}

/** The bytes of canonical standard base64, or undefined for anything else (whitespace too). */
export function fromBase64(text: string): Uint8Array | undefined {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return undefined;
  const pad = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - pad);
  let at = 0;
  for (let i = 0; i < text.length; i += 4) {
    const v = [0, 1, 2, 3].map((j) => (text[i + j] === '=' ? 0 : ALPHABET.indexOf(text[i + j]!)));
    const n = (v[0]! << 18) | (v[1]! << 12) | (v[2]! << 6) | v[3]!;
    for (const b of [n >> 16, (n >> 8) & 255, n & 255]) if (at < out.length) out[at++] = b;
  }
  // Canonical only: re-encoding gives the text back (no stray bits in the padding).
  return toBase64(out) === text ? out : undefined;
}
