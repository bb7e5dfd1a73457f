// Justification with font expansion, as pdfTeX and microtype do it (the hz-program): a line is
// filled partly by its word spaces and partly by scaling its glyphs by at most EXPANSION, so that
// word spaces vary far less from line to line than spaces alone would.

export const EXPANSION = 0.02;
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
  const give = wordsWidth * EXPANSION + gaps * space * (slack >= 0 ? SPACE_STRETCH : SPACE_SHRINK);
  const ratio = Math.max(-1, Math.min(1, slack / give));
  const scale = 1 + ratio * EXPANSION;
  return { scale, gap: (measure - wordsWidth * scale) / gaps };
}
