// Justification with font expansion (the hz-program, as pdfTeX and microtype have it): a line is
// filled first by scaling its glyphs by at most EXPANSION, which the eye does not see, and only
// then by its word spaces, which it does; so word spaces vary far less from line to line. The
// line breaker (linebreak.ts) chooses the breaks under the same model.

export const EXPANSION = 0.035;
export const SPACE_STRETCH = 1 / 2;
export const SPACE_SHRINK = 1 / 3;

export interface Justification {
  /** Horizontal glyph scale for the line (1 = none); written as Tz. */
  scale: number;
  /** Width of each word space, points. */
  gap: number;
}

/** How to fill `measure` with `gaps` word spaces between words `wordsWidth` wide. */
export function justify(
  wordsWidth: number,
  gaps: number,
  measure: number,
  space: number,
): Justification {
  if (gaps === 0) return { scale: 1, gap: 0 };
  const slack = measure - wordsWidth - gaps * space;
  const ratio = Math.max(-1, Math.min(1, slack / (wordsWidth * EXPANSION)));
  const scale = 1 + ratio * EXPANSION;
  return { scale, gap: (measure - wordsWidth * scale) / gaps };
}
