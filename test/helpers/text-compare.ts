// Compares text extracted from a PDF with the canonical text, word by word.

const FOLD: Record<string, string> = { '\u201c': '"', '\u201d': '"', '\u2018': "'", '\u2019': "'" };

export function foldTypography(s: string): string {
  return s.replace(/[\u201c\u201d\u2018\u2019]/g, (c) => FOLD[c]!);
}

/**
 * Turns `pdftotext -raw` lines into words, joining a word broken at a line end: "consid-" +
 * "ered" is one word when the canonical text has "considered", and "Secretary-" + "General"
 * keeps its hyphen when the canonical text does.
 */
export function extractedWords(lines: string[], canonicalWords: string[]): string[] {
  const out: string[] = [];
  let carry: string | undefined;
  for (const line of lines) {
    const words = line.split(/\s+/).filter((w) => w !== '');
    words.forEach((w, i) => {
      let word = w;
      if (carry !== undefined) {
        const expected = canonicalWords[out.length];
        word = expected === carry.slice(0, -1) + w ? carry.slice(0, -1) + w : carry + w;
        carry = undefined;
      }
      if (i === words.length - 1 && word.endsWith('-') && word.length > 1) carry = word;
      else out.push(word);
    });
  }
  if (carry !== undefined) out.push(carry);
  return out;
}
