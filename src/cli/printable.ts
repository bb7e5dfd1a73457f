// Text from an input (a file name, a certificate's name, a word of a text copy) must not drive the
// terminal: escape sequences, C1 controls and bidirectional controls are shown escaped, not sent.

// Controls (C0, DEL, C1), format characters (bidi controls, zero-width), line and paragraph
// separators: none of them is a visible character in a one-line message.
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;

function escape(ch: string): string {
  const cp = ch.codePointAt(0)!;
  const hex = cp.toString(16);
  if (cp < 0x100) return `\\x${hex.padStart(2, '0')}`;
  return cp < 0x10000 ? `\\u${hex.padStart(4, '0')}` : `\\u{${hex}}`;
}

/** One line of text for a terminal: every control or invisible format character escaped. */
export function printable(text: string): string {
  return text.replace(UNSAFE, escape);
}

// JSON.stringify escapes C0 controls itself; its raw newlines are the indentation's.
const UNSAFE_IN_JSON = /[\u007f-\u009f\p{Cf}\p{Zl}\p{Zp}]/gu;

/**
 * JSON for a terminal: the same value, with the characters JSON.stringify leaves raw (C1
 * controls, bidi and other format characters, U+2028/U+2029) written as \u escapes.
 */
export function jsonText(value: unknown): string {
  return (
    JSON.stringify(value, null, 2).replace(UNSAFE_IN_JSON, (ch) =>
      ch.length === 2
        ? `\\u${ch.charCodeAt(0).toString(16)}\\u${ch.charCodeAt(1).toString(16)}`
        : `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
    ) + '\n'
  );
}
