import { breakPoints, type BreakPoints } from './hyphenate.js';
import { breakLines, DEFAULT_BREAK_OPTIONS, INFINITY, type Break, type Item } from './linebreak.js';
import { protrusion } from './protrusion.js';
import type { Shaper } from './shaper.js';
import { EXPANSION, SPACE_SHRINK, SPACE_STRETCH } from './justify.js';

/** A line of a paragraph: its words as printed (a broken word ends in a hyphen). */
export interface ParagraphLine {
  words: string[];
  /** The paragraph's last line is set at natural width, the others fill the measure. */
  justify: boolean;
  /** How far the line hangs into the left and right margins (protrusion), points. */
  left: number;
  right: number;
  /** The line ends in a hyphen that hyphenation added (not one of the word's own). */
  hyphen: boolean;
}

interface Piece {
  word: number;
  text: string;
}

// As TeX does (\pretolerance, then \tolerance), a paragraph is first set without hyphenating a
// word; only when no set of lines is good enough are words broken, and then tolerances widen.
// Word breaks are few that way: fewer than pdflatex's on the same measure (test/typography).
const HYPHEN_PENALTY = 50;
const TOLERANCES = [200, 400, 1000, 5000];
const RULES = {
  ...DEFAULT_BREAK_OPTIONS,
  maxHyphens: 2,
  finalHyphen: false,
  expansionBadness: 100,
};

/** Breaks a paragraph into justified lines with Knuth-Plass. */
export function setParagraph(
  text: string,
  shaper: Shaper,
  size: number,
  measure: number,
  /** A per-document memo of hyphenation points. */
  hyphenation?: Map<string, BreakPoints>,
): ParagraphLine[] {
  const words = text.split(/\s+/u).filter((w) => w !== '');
  const tries: [boolean, number][] = [
    [false, TOLERANCES[0]!],
    ...TOLERANCES.map((t): [boolean, number] => [true, t]),
  ];
  for (const [hyphenate, tolerance] of tries) {
    const { items, pieces } = paragraphItems(words, shaper, size, measure, hyphenate, hyphenation);
    const breaks = breakLines(items, measure, { ...RULES, tolerance });
    if (breaks) return linesOf(breaks, items, pieces);
  }
  return greedy(words);
}

/** The paragraph as Knuth-Plass items: words (or their pieces), word spaces, hyphen breaks. */
function paragraphItems(
  words: string[],
  shaper: Shaper,
  size: number,
  measure: number,
  hyphenate: boolean,
  hyphenation?: Map<string, BreakPoints>,
): { items: Item[]; pieces: Piece[] } {
  const space = shaper.width(' ', size);
  const hyphen = shaper.width('-', size);
  const hyphenHangs = protrusion(shaper, '-', 'right', size);
  const items: Item[] = [];
  const pieces: Piece[] = [];
  words.forEach((word, w) => {
    const found = breakPoints(word, hyphenation);
    // A word's own hyphens are always places to break; hyphenation only on the second try.
    const { pieces: parts, explicit } =
      found.explicit || hyphenate ? found : { pieces: [word], explicit: false };
    parts.forEach((part, p) => {
      const width = shaper.width(part, size);
      // Font expansion is part of the line breaking, as in pdfTeX: a box gives a little too.
      items.push({
        type: 'box',
        width,
        index: pieces.length,
        stretch: width * EXPANSION,
        shrink: width * EXPANSION,
        left: p === 0 ? protrusion(shaper, part, 'left', size) : 0,
        right: p === parts.length - 1 ? protrusion(shaper, part, 'right', size) : 0,
      });
      pieces.push({ word: w, text: part });
      if (p < parts.length - 1)
        items.push({
          type: 'penalty',
          width: explicit ? 0 : hyphen,
          penalty: HYPHEN_PENALTY,
          flagged: true,
          right: hyphenHangs,
        });
    });
    if (w < words.length - 1)
      items.push({
        type: 'glue',
        width: space,
        stretch: space * SPACE_STRETCH,
        shrink: space * SPACE_SHRINK,
      });
  });
  items.push({ type: 'glue', width: 0, stretch: INFINITY * measure, shrink: 0 });
  items.push({ type: 'penalty', width: 0, penalty: -INFINITY, flagged: false });
  return { items, pieces };
}

function linesOf(breaks: Break[], items: Item[], pieces: Piece[]): ParagraphLine[] {
  const lines: ParagraphLine[] = [];
  let start = 0;
  breaks.forEach((br, i) => {
    const line: string[] = [];
    let lastWord = -1;
    let left: number | undefined;
    let right = 0;
    for (let k = start; k < br.position; k++) {
      const it = items[k]!;
      if (it.type !== 'box') continue;
      left ??= it.left ?? 0;
      right = it.right ?? 0;
      const piece = pieces[it.index]!;
      if (piece.word === lastWord) line[line.length - 1] += piece.text;
      else line.push(piece.text);
      lastWord = piece.word;
    }
    const at = items[br.position]!;
    const hyphen = at.type === 'penalty' && at.flagged && at.width > 0;
    if (hyphen) line[line.length - 1] += '-';
    if (at.type === 'penalty' && at.flagged) right = at.right ?? 0;
    const justify = i < breaks.length - 1;
    // A last line is set ragged: only its start hangs.
    lines.push({ words: line, justify, left: left ?? 0, right: justify ? right : 0, hyphen });
    start = br.position + 1;
  });
  return lines;
}

// Only for a word wider than the measure: one word a line rather than no output.
function greedy(words: string[]): ParagraphLine[] {
  return words.map((w) => ({ words: [w], justify: false, left: 0, right: 0, hyphen: false }));
}
