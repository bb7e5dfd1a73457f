// The comparison form (docprov-compare/1): what stays of a text when it is copied from the PDF,
// a web page or an e-mail. Line wrapping, spacing, hyphens, typographic quotes, dashes and
// spaces, compatibility characters (ligatures) and docprov's own running footer are folded
// away; every word and every other character is kept, so a changed word still shows.

export const COMPARISON_FORM = 'docprov-compare/1';

const QUOTES: Record<string, string> = {
  '\u2018': "'",
  '\u2019': "'",
  '\u201a': "'",
  '\u201b': "'",
  '\u2032': "'",
  '\u00b4': "'",
  '`': "'",
  '\u201c': '"',
  '\u201d': '"',
  '\u201e': '"',
  '\u201f': '"',
  '\u2033': '"',
  '\u00ab': '"',
  '\u00bb': '"',
};
const HYPHENS = /[\u002d\u00ad\u2010\u2011\u2012\u2013\u2014\u2015\u2212]/gu;
// docprov's footer: "<id> · SHA-256 <16 hex>" then "page / pages", wherever an extractor puts it.
const FOOTER = /[a-z0-9]+(?:-[a-z0-9]+)* \u00b7 SHA-256 [0-9a-f]{16}(?:\s+\d+ ?\/ ?\d+)?/gu;
const PAGE_LABEL = /^[ \t\f]*\d+ ?\/ ?\d+[ \t\f]*$/gmu;

export interface Word {
  text: string;
  /** 1-based line and column of the word in the input. */
  line: number;
  column: number;
}

/** The words of a text in comparison form, with where each starts in the input. */
export function comparisonWords(input: string): Word[] {
  const text = input
    .normalize('NFKC')
    .replace(FOOTER, (m) => ' '.repeat(m.length))
    .replace(PAGE_LABEL, (m) => ' '.repeat(m.length));
  const words: Word[] = [];
  let line = 1;
  let lineStart = 0;
  const re = /\S+|\n/gu;
  for (const m of text.matchAll(re)) {
    if (m[0] === '\n') {
      line++;
      lineStart = m.index! + 1;
      continue;
    }
    const folded = [...m[0]]
      .map((ch) => QUOTES[ch] ?? ch)
      .join('')
      .replace(HYPHENS, '-');
    words.push({ text: folded, line, column: [...text.slice(lineStart, m.index)].length + 1 });
  }
  // A word broken at a line end ("consid-" + "ered") is one word; so is "Secretary-" + "General".
  const joined: Word[] = [];
  for (const w of words) {
    const prev = joined[joined.length - 1];
    if (prev && prev.text.endsWith('-') && prev.text.length > 1 && w.line > prev.line)
      prev.text += w.text;
    else joined.push({ ...w });
  }
  // Hyphens inside words are dropped: an extractor may keep, drop or add them at line ends.
  for (const w of joined) if (w.text !== '-') w.text = w.text.replace(/-/g, '');
  return joined.filter((w) => w.text !== '');
}

export function comparisonForm(input: string): string {
  return comparisonWords(input)
    .map((w) => w.text)
    .join(' ');
}

export interface WordChange {
  /** 0-based index of the first differing word in the copy and in the original. */
  copyIndex: number;
  originalIndex: number;
  copy: string[];
  original: string[];
  /** Where the change is in the copy. */
  line?: number;
  column?: number;
}

/** The differences between two word lists (LCS), as runs of changed words; at most `max`. */
export function diffWords(copy: Word[], original: Word[], max = 10): WordChange[] {
  const a = copy.map((w) => w.text);
  const b = original.map((w) => w.text);
  // Trim the common head and tail, so the table is only as big as the changed middle.
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  )
    tail++;
  const A = a.slice(head, a.length - tail);
  const B = b.slice(head, b.length - tail);
  if (A.length * B.length > 4_000_000)
    return [
      {
        copyIndex: head,
        originalIndex: head,
        copy: A.slice(0, 20),
        original: B.slice(0, 20),
        ...(copy[head] ? { line: copy[head]!.line, column: copy[head]!.column } : {}),
      },
    ];
  const L = Array.from({ length: A.length + 1 }, () => new Uint32Array(B.length + 1));
  for (let i = A.length - 1; i >= 0; i--)
    for (let j = B.length - 1; j >= 0; j--)
      L[i]![j] = A[i] === B[j] ? L[i + 1]![j + 1]! + 1 : Math.max(L[i + 1]![j]!, L[i]![j + 1]!);
  const changes: WordChange[] = [];
  let i = 0;
  let j = 0;
  while ((i < A.length || j < B.length) && changes.length < max) {
    if (i < A.length && j < B.length && A[i] === B[j]) {
      i++;
      j++;
      continue;
    }
    const ci = i;
    const cj = j;
    while ((i < A.length || j < B.length) && !(i < A.length && j < B.length && A[i] === B[j])) {
      if (j >= B.length || (i < A.length && L[i + 1]![j]! >= L[i]![j + 1]!)) i++;
      else j++;
    }
    const at = copy[head + ci];
    changes.push({
      copyIndex: head + ci,
      originalIndex: head + cj,
      copy: A.slice(ci, i),
      original: B.slice(cj, j),
      ...(at ? { line: at.line, column: at.column } : {}),
    });
  }
  return changes;
}
