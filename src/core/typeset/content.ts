import type { EmbeddedFont } from './embed-font.js';
import type { Shaper } from './shaper.js';

// Content-stream text: one TJ array a line, with kerning and the justified word spaces written
// as TJ adjustments (Tw does nothing for two-byte CID fonts).

/** A number as PDF wants it: at most three decimals, no exponent, no "-0". */
export function num(n: number): string {
  const r = Math.round(n * 1000) / 1000;
  return Object.is(r, -0) ? '0' : String(r);
}

const hex4 = (n: number) => n.toString(16).toUpperCase().padStart(4, '0');

export interface TextLine {
  words: string[];
  x: number;
  y: number;
  size: number;
  /** Width of each inter-word space, points; undefined for the natural space. */
  gap?: number;
  /** Horizontal glyph scale from font expansion (1 = none). */
  scale?: number;
}

/** Width of a line's words set with natural spaces, and of the words alone. */
export function measureLine(
  shaper: Shaper,
  words: string[],
  size: number,
): { natural: number; words: number } {
  let w = 0;
  for (const word of words) w += shaper.width(word, size);
  return { natural: w + (words.length - 1) * shaper.width(' ', size), words: w };
}

export function textLine(shaper: Shaper, font: EmbeddedFont, line: TextLine): string {
  const { size } = line;
  const scale = line.scale ?? 1;
  const upm = shaper.unitsPerEm;
  const space = shaper.glyphs(' ')[0]!;
  const spaceWidth = (space.advance * size) / upm;
  const parts: string[] = [];
  let run = '';
  const flush = () => {
    if (run) parts.push(`<${run}>`);
    run = '';
  };
  const adjust = (thousandths: number) => {
    if (Math.abs(thousandths) < 0.0005) return;
    flush();
    parts.push(num(thousandths));
  };
  line.words.forEach((word, w) => {
    if (w > 0) {
      run += hex4(font.cid(space));
      // TJ numbers move left when positive, in thousandths of the (horizontally scaled) font size.
      if (line.gap !== undefined)
        adjust((-(line.gap - spaceWidth * scale) * 1000) / (size * scale));
    }
    for (const g of shaper.glyphs(word)) {
      run += hex4(font.cid(g));
      adjust((-(g.kernedAdvance - g.advance) * 1000) / upm);
    }
  });
  flush();
  // Tz is text state that outlives ET, so every line sets its own.
  return `BT /${font.resourceName} ${num(size)} Tf ${num(scale * 100)} Tz ${num(line.x)} ${num(line.y)} Td [${parts.join(' ')}] TJ ET`;
}
