// Right-to-left words inside a left-to-right letter (a name in the addressee block): the line's
// words grouped into runs of one direction, as the Unicode Bidirectional Algorithm (UAX #9) groups
// them for a left-to-right paragraph of words separated by spaces.

/** Strong right-to-left letters: Hebrew, Arabic, Syriac, Thaana, N'Ko and their presentation forms. */
const RTL = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]|[\u{10800}-\u{10fff}\u{1e800}-\u{1efff}]/u;
const STRONG = /\p{L}/u;

/** Whether the code point is a strong right-to-left letter. */
export function isRtlCodePoint(cp: number): boolean {
  return RTL.test(String.fromCodePoint(cp));
}

/** Whether the text holds any right-to-left letter. */
export function hasRtl(text: string): boolean {
  return RTL.test(text);
}

type Direction = 'ltr' | 'rtl' | 'neutral';

function direction(word: string): Direction {
  for (const ch of word) {
    if (RTL.test(ch)) return 'rtl';
    if (STRONG.test(ch)) return 'ltr';
  }
  return 'neutral';
}

export interface DirectionRun {
  /** The run's words in logical (reading) order. */
  words: string[];
  rtl: boolean;
}

/**
 * The words of a left-to-right line as runs of one direction, in logical order. A word without
 * a strong letter (a number, a dash) between two right-to-left words belongs to their run;
 * anywhere else it takes the line's own direction, left to right.
 */
export function directionRuns(words: readonly string[]): DirectionRun[] {
  const dirs = words.map(direction);
  const rtlAt = (i: number): boolean => {
    if (dirs[i] !== 'neutral') return dirs[i] === 'rtl';
    const before = dirs
      .slice(0, i)
      .reverse()
      .find((d) => d !== 'neutral');
    const after = dirs.slice(i + 1).find((d) => d !== 'neutral');
    return before === 'rtl' && after === 'rtl';
  };
  const runs: DirectionRun[] = [];
  words.forEach((word, i) => {
    const rtl = rtlAt(i);
    const last = runs.at(-1);
    if (last && last.rtl === rtl) last.words.push(word);
    else runs.push({ words: [word], rtl });
  });
  return runs;
}
