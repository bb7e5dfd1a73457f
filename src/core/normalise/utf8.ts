import { DocprovError } from '../errors.js';

// Strict UTF-8: rejects overlongs, encoded surrogates, code points above U+10FFFF and truncation.
// TextDecoder's fatal mode says only "invalid", so we find the first bad byte ourselves.

export interface DecodeFailure {
  offset: number;
  reason: string;
}

/** Returns the first invalid sequence, or undefined when the bytes are valid UTF-8. */
export function findInvalidUtf8(bytes: Uint8Array): DecodeFailure | undefined {
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    let cp: number;
    if (b >= 0xc2 && b <= 0xdf) [need, min, cp] = [1, 0x80, b & 0x1f];
    else if (b >= 0xe0 && b <= 0xef) [need, min, cp] = [2, 0x800, b & 0x0f];
    else if (b >= 0xf0 && b <= 0xf4) [need, min, cp] = [3, 0x10000, b & 0x07];
    else if (b === 0xc0 || b === 0xc1) return { offset: i, reason: 'overlong encoding' };
    else if (b >= 0x80 && b <= 0xbf) return { offset: i, reason: 'unexpected continuation byte' };
    else return { offset: i, reason: `byte 0x${b.toString(16)} never appears in UTF-8` };
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined) return { offset: i, reason: 'truncated sequence at end of input' };
      if ((c & 0xc0) !== 0x80) return { offset: i, reason: 'truncated multi-byte sequence' };
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min) return { offset: i, reason: 'overlong encoding' };
    if (cp >= 0xd800 && cp <= 0xdfff)
      return { offset: i, reason: `lone surrogate U+${cp.toString(16).toUpperCase()} encoded` };
    if (cp > 0x10ffff) return { offset: i, reason: 'code point above U+10FFFF' };
    i += need + 1;
  }
  return undefined;
}

/** Line and column (1-based, column in code points) of a byte offset; CR, LF and CRLF end lines. */
export function locateByte(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let column = 1;
  for (let i = 0; i < offset; i++) {
    const b = bytes[i]!;
    if (b === 0x0a || (b === 0x0d && bytes[i + 1] !== 0x0a)) {
      line++;
      column = 1;
    } else if (b === 0x0d) {
      // CR of a CRLF: the LF that follows ends the line.
    } else if ((b & 0xc0) !== 0x80) {
      column++;
    }
  }
  return { line, column };
}

/**
 * Decodes strict UTF-8 or throws `invalid-utf8` naming byte offset, line and column (and `file`,
 * when given, in the location).
 */
export function decodeUtf8Strict(bytes: Uint8Array, file?: string): string {
  const bad = findInvalidUtf8(bytes);
  if (bad) {
    const { line, column } = locateByte(bytes, bad.offset);
    throw new DocprovError(
      'invalid-utf8',
      `${file ?? 'the input'} is not valid UTF-8: byte offset ${bad.offset} (line ${line}, column ${column}): ${bad.reason}`,
      {
        hint: 'save the file as UTF-8; docprov does not guess encodings',
        problems: [
          {
            code: 'invalid-utf8',
            message: `invalid UTF-8 at byte offset ${bad.offset}: ${bad.reason}`,
            location: {
              ...(file !== undefined ? { file } : {}),
              line,
              column,
              offset: bad.offset,
            },
          },
        ],
      },
    );
  }
  return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
}
