// WebCrypto takes an ECDSA signature as r || s; CMS carries the DER SEQUENCE { r, s }. The
// conversion is as strict as OpenSSL (which the CLI uses): DER only, no trailing bytes, so a
// second encoding of one signature is refused by both.

function readInt(sig: Uint8Array, at: number): { value: Uint8Array; end: number } {
  if (sig[at] !== 0x02) throw new Error('expected INTEGER');
  const len = sig[at + 1]!;
  if (len === undefined || len === 0 || len > 0x7f) throw new Error('bad INTEGER length');
  const value = sig.subarray(at + 2, at + 2 + len);
  if (value.length !== len) throw new Error('truncated INTEGER');
  if (value[0]! & 0x80) throw new Error('negative INTEGER');
  if (len > 1 && value[0] === 0 && !(value[1]! & 0x80)) throw new Error('non-minimal INTEGER');
  return { value: value[0] === 0 ? value.subarray(1) : value, end: at + 2 + len };
}

/** DER (r, s) to r || s, each `size` bytes; throws on anything but one minimal DER encoding. */
export function derToRaw(sig: Uint8Array, size: number): Uint8Array {
  if (sig[0] !== 0x30) throw new Error('expected SEQUENCE');
  let at = 2;
  let len = sig[1]!;
  if (len === 0x81) {
    len = sig[2]!;
    if (len < 0x80) throw new Error('non-minimal length');
    at = 3;
  } else if (len > 0x80 || len === undefined) throw new Error('bad length');
  if (at + len !== sig.length) throw new Error('length does not match');
  const r = readInt(sig, at);
  const s = readInt(sig, r.end);
  if (s.end !== sig.length) throw new Error('trailing bytes');
  if (r.value.length > size || s.value.length > size) throw new Error('r or s too long');
  const out = new Uint8Array(2 * size);
  out.set(r.value, size - r.value.length);
  out.set(s.value, 2 * size - s.value.length);
  return out;
}
