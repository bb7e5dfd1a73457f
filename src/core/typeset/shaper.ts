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

// One shaper a font and run properties for the life of the process: shaping a word depends on
// them and the word alone, so documents typeset one after another share the words they have in
// common. Bounded: it starts afresh past this many words.
const shapers = new WeakMap<HbFont, Map<string, Shaper>>();
const MAX_WORDS = 50_000;

/** Shapes words with HarfBuzz, all in one script, direction and language. */
export class Shaper {
  // Words repeat (measured for line breaking, then again when set): each is shaped once.
  private readonly words = new Map<string, ShapedGlyph[]>();
  readonly unitsPerEm: number;

  /** The shaper of `font` with `props`, shared by every document that uses them. */
  static for(font: HbFont, props: RunProps): Shaper {
    let byProps = shapers.get(font);
    if (!byProps) shapers.set(font, (byProps = new Map()));
    const key = `${props.script} ${props.direction} ${props.language}`;
    let shaper = byProps.get(key);
    if (!shaper) byProps.set(key, (shaper = new Shaper(font, props)));
    return shaper;
  }

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
      if (this.words.size >= MAX_WORDS) this.words.clear();
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
