// The characters a text copy may differ in without changing a word: only what real text
// extractors produce from docprov's PDFs (pdftotext, mutool, pdf.js), kept small and explicit.
// Anything else (U+2212 for a hyphen, superscript digits, other dashes) is a different word.

/** Typographic quotes the PDF prints for the canonical text's straight ones. */
export const QUOTES: Readonly<Record<string, string>> = {
  '\u2018': "'",
  '\u2019': "'",
  '\u201c': '"',
  '\u201d': '"',
};

/** Ligatures an extractor may leave as one code point when a font's ToUnicode names it. */
export const LIGATURES: Readonly<Record<string, string>> = {
  '\ufb00': 'ff',
  '\ufb01': 'fi',
  '\ufb02': 'fl',
  '\ufb03': 'ffi',
  '\ufb04': 'ffl',
  '\ufb05': 'st',
  '\ufb06': 'st',
};

const FOLDABLE = /[\u2018\u2019\u201c\u201d\ufb00-\ufb06]/gu;

/** A word as compared, and how many characters were folded to get it. */
export function fold(word: string): { text: string; folded: number } {
  let folded = 0;
  const text = word.replace(FOLDABLE, (c) => {
    folded++;
    return QUOTES[c] ?? LIGATURES[c]!;
  });
  return { text, folded };
}
