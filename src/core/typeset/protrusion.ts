import type { Shaper } from './shaper.js';

// Margin protrusion (character protrusion, as pdfTeX and microtype do it): punctuation at a line's
// edge is light, so a justified margin looks ragged unless it hangs partly outside. Amounts are
// microtype's defaults, thousandths of the character's own width.

const RIGHT: Record<string, number> = {
  '.': 700,
  ',': 500,
  ':': 500,
  ';': 300,
  '!': 100,
  '?': 100,
  '-': 500,
  '\u2013': 200,
  '\u2014': 150,
  '\u2019': 400,
  '\u201d': 300,
  ')': 200,
};
const LEFT: Record<string, number> = {
  '\u2018': 300,
  '\u201c': 300,
  '(': 100,
  '-': 500,
  '\u2013': 200,
  '\u2014': 150,
};

/** How far a word at a line's start (left) or end (right) may hang into the margin, points. */
export function protrusion(
  shaper: Shaper,
  word: string,
  side: 'left' | 'right',
  size: number,
): number {
  const c = side === 'left' ? String.fromCodePoint(word.codePointAt(0) ?? 32) : [...word].at(-1);
  const amount = c === undefined ? undefined : (side === 'left' ? LEFT : RIGHT)[c];
  return amount === undefined ? 0 : (shaper.width(c!, size) * amount) / 1000;
}
