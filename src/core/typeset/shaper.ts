import type { HbFont, HbGlyph, RunProps } from './hb/font.js';

/** One positioned glyph as HarfBuzz set it, font units. */
export interface ShapedGlyph {
  /** The glyph id, in the font and in its subset alike (the subset keeps ids). */
  id: number;
  /** The characters the glyph stands for ("ffi" for that ligature); '' for a cluster's further glyphs. */
  text: string;
  /** The glyph's own advance: what the PDF /W array says. */
  advance: number;
  /** The advance after shaping (kerning and every other positioning feature). */
  xAdvance: number;
  xOffset: number;
  yOffset: number;
}

/** Shapes the words of one document with HarfBuzz, all in one script, direction and language. */
export class Shaper {
  // Words repeat (measured for line breaking, then again when set): each is shaped once.
  private readonly words = new Map<string, ShapedGlyph[]>();
  readonly unitsPerEm: number;

  constructor(
    private readonly font: HbFont,
    readonly props: RunProps,
  ) {
    this.unitsPerEm = font.unitsPerEm;
  }

  /** Whether the font maps the code point to a glyph. */
  hasGlyph(cp: number): boolean {
    return this.font.nominalGlyph(cp) !== undefined;
  }

  glyphs(text: string): ShapedGlyph[] {
    let shaped = this.words.get(text);
    if (!shaped) {
      shaped = this.shapeUncached(text);
      this.words.set(text, shaped);
    }
    return shaped;
  }

  /** The shaped width in points at the given size. */
  width(text: string, size: number): number {
    let units = 0;
    for (const g of this.glyphs(text)) units += g.xAdvance;
    return (units * size) / this.unitsPerEm;
  }

  private shapeUncached(text: string): ShapedGlyph[] {
    const cps = [...text].map((c) => c.codePointAt(0)!);
    const glyphs = this.font.shape(cps, this.props);
    // A cluster's text runs from its first code point to the next cluster's (in logical order),
    // and goes to its base glyph (the first that advances), not to the marks set on it.
    const starts = [...new Set(glyphs.map((g) => g.cluster))].sort((a, b) => a - b);
    const ends = new Map(starts.map((s, i) => [s, starts[i + 1] ?? cps.length]));
    const base = new Map<number, HbGlyph>();
    for (const g of glyphs) {
      const b = base.get(g.cluster);
      if (!b || (b.xAdvance === 0 && g.xAdvance !== 0)) base.set(g.cluster, g);
    }
    return glyphs.map((g) => ({
      id: g.id,
      text:
        base.get(g.cluster) === g
          ? String.fromCodePoint(...cps.slice(g.cluster, ends.get(g.cluster)))
          : '',
      advance: this.font.advance(g.id),
      xAdvance: g.xAdvance,
      xOffset: g.xOffset,
      yOffset: g.yOffset,
    }));
  }
}
