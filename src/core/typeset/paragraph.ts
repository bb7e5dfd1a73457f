import { breakPoints, type BreakPoints } from './hyphenate.js';
import { breakLines, DEFAULT_BREAK_OPTIONS, INFINITY, type Item } from './linebreak.js';
import type { Shaper } from './shaper.js';
import { SPACE_SHRINK, SPACE_STRETCH } from './justify.js';

/** A line of a paragraph: its words as printed (a broken word ends in a hyphen). */
export interface ParagraphLine {
  words: string[];
  /** The paragraph's last line is set at natural width, the others fill the measure. */
  justify: boolean;
}

interface Piece {
  word: number;
  text: string;
}

/** Breaks a paragraph into justified lines with Knuth-Plass, trying harder tolerances in turn. */
const HYPHEN_PENALTY = 50;
const TOLERANCES = [200, 400, 1000, 5000];

export function setParagraph(
  text: string,
  shaper: Shaper,
  size: number,
  measure: number,
  /** A per-document memo of hyphenation points. */
  hyphenation?: Map<string, BreakPoints>,
): ParagraphLine[] {
  const words = text.split(/\s+/u).filter((w) => w !== '');
  const space = shaper.width(' ', size);
  const hyphen = shaper.width('-', size);
  const items: Item[] = [];
  const pieces: Piece[] = [];
  words.forEach((word, w) => {
    const { pieces: parts, explicit } = breakPoints(word, hyphenation);
    parts.forEach((part, p) => {
      // Breaks are chosen on word spaces alone, as TeX does; font expansion (justify.ts) then
      // evens out what the spaces would have had to absorb.
      items.push({
        type: 'box',
        width: shaper.width(part, size),
        index: pieces.length,
        stretch: 0,
        shrink: 0,
      });
      pieces.push({ word: w, text: part });
      if (p < parts.length - 1)
        items.push({
          type: 'penalty',
          width: explicit ? 0 : hyphen,
          penalty: HYPHEN_PENALTY,
          flagged: true,
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

  let breaks;
  for (const tolerance of TOLERANCES) {
    breaks = breakLines(items, measure, { ...DEFAULT_BREAK_OPTIONS, tolerance });
    if (breaks) break;
  }
  if (!breaks) return greedy(words);

  const lines: ParagraphLine[] = [];
  let start = 0;
  breaks.forEach((br, i) => {
    const line: string[] = [];
    let lastWord = -1;
    for (let k = start; k < br.position; k++) {
      const it = items[k]!;
      if (it.type !== 'box') continue;
      const piece = pieces[it.index]!;
      if (piece.word === lastWord) line[line.length - 1] += piece.text;
      else line.push(piece.text);
      lastWord = piece.word;
    }
    const at = items[br.position]!;
    if (at.type === 'penalty' && at.flagged && at.width > 0) line[line.length - 1] += '-';
    lines.push({ words: line, justify: i < breaks.length - 1 });
    start = br.position + 1;
  });
  return lines;
}

// Only for a word wider than the measure: one word a line rather than no output.
function greedy(words: string[]): ParagraphLine[] {
  return words.map((w) => ({ words: [w], justify: false }));
}
