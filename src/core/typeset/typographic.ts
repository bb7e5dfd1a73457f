// Typesetting choices applied to what is printed only; the canonical text is never changed.

const OPENING_CONTEXT = /[\s([{\u2014\u2013]/u;

/** Straight quotes become typographic quotes; the apostrophe becomes U+2019. */
export function typographic(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const before = i === 0 ? ' ' : text[i - 1]!;
    if (c === '"') out += OPENING_CONTEXT.test(before) ? '\u201c' : '\u201d';
    else if (c === "'") out += OPENING_CONTEXT.test(before) ? '\u2018' : '\u2019';
    else out += c;
  }
  return out;
}
