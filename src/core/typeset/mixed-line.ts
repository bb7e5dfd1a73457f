import { directionRuns } from './bidi.js';
import { measureLine, textLine } from './content.js';
import type { EmbeddedFont } from './embed-font.js';
import type { Shaper } from './shaper.js';

// A single line (a name, a title) that holds right-to-left words: each run is shaped in its own
// face and direction, and the runs follow each other left to right, as the line's direction is.
// A right-to-left run's words are set from its last to its first, each shaped right to left.

export interface Face {
  shaper: Shaper;
  font: EmbeddedFont;
}

interface PlacedRun {
  face: Face;
  words: string[];
  width: number;
}

function runs(latin: Face, rtl: Face, words: readonly string[], size: number): PlacedRun[] {
  return directionRuns(words).map((run) => {
    const face = run.rtl ? rtl : latin;
    const visual = run.rtl ? [...run.words].reverse() : run.words;
    return { face, words: visual, width: measureLine(face.shaper, visual, size).natural };
  });
}

/** The line's natural width in points: its runs and one word space (of the body face) between each. */
export function mixedLineWidth(
  latin: Face,
  rtl: Face,
  words: readonly string[],
  size: number,
): number {
  const placed = runs(latin, rtl, words, size);
  const space = latin.shaper.width(' ', size);
  return placed.reduce((w, r) => w + r.width, 0) + (placed.length - 1) * space;
}

/** The content-stream text of the line: one text object a run, each in its own font. */
export function mixedTextLine(
  latin: Face,
  rtl: Face,
  line: { words: readonly string[]; x: number; y: number; size: number },
): string {
  const space = latin.shaper.width(' ', line.size);
  let x = line.x;
  return runs(latin, rtl, line.words, line.size)
    .map((r) => {
      const ops = textLine(r.face.shaper, r.face.font, {
        words: r.words,
        x,
        y: line.y,
        size: line.size,
      });
      x += r.width + space;
      return ops;
    })
    .join('\n');
}
