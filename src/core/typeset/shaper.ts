import { openFont, type FkFont } from './fontkit.js';
import { OpenTypeTables } from './opentype.js';

/** One positioned glyph: its id in the font, the text it stands for, its advance with kerning. */
export interface ShapedGlyph {
  id: number;
  text: string;
  /** The glyph's own advance, font units (what the PDF /W array will say). */
  advance: number;
  /** The advance after kerning with the next glyph, font units. */
  kernedAdvance: number;
}

export interface Shaped {
  glyphs: ShapedGlyph[];
  /** Width in points at the given size. */
  width: number;
}

interface GlyphInfo {
  id: number;
  advance: number;
}

/** Shapes text with standard ligatures and pair kerning; one instance per font. */
export class Shaper {
  private readonly tables: OpenTypeTables;
  private readonly cmap = new Map<number, GlyphInfo | null>();
  private readonly advances = new Map<number, number>();
  readonly unitsPerEm: number;

  constructor(readonly font: FkFont) {
    this.unitsPerEm = font.unitsPerEm;
    this.tables = new OpenTypeTables(font);
  }

  /** The glyph for a code point, or undefined when the font has none. */
  glyphFor(cp: number): GlyphInfo | undefined {
    let g = this.cmap.get(cp);
    if (g === undefined) {
      g = this.font.hasGlyphForCodePoint(cp) ? this.info(this.font.glyphForCodePoint(cp).id) : null;
      this.cmap.set(cp, g);
    }
    return g ?? undefined;
  }

  private info(id: number): GlyphInfo {
    let advance = this.advances.get(id);
    if (advance === undefined) {
      advance = (
        this.font as unknown as { getGlyph(id: number): { advanceWidth: number } }
      ).getGlyph(id).advanceWidth;
      this.advances.set(id, advance);
    }
    return { id, advance };
  }

  // Words repeat (measured for line breaking, then again when set): shaped once a document.
  private readonly words = new Map<string, ShapedGlyph[]>();

  /** Forgets the shaped words of the last document (the font's own tables stay parsed). */
  beginDocument(): void {
    this.words.clear();
  }

  glyphs(text: string): ShapedGlyph[] {
    let shaped = this.words.get(text);
    if (!shaped) {
      shaped = this.shapeUncached(text);
      this.words.set(text, shaped);
    }
    return shaped;
  }

  private shapeUncached(text: string): ShapedGlyph[] {
    const chars = [...text];
    const ids = chars.map((c) => this.glyphFor(c.codePointAt(0)!)?.id ?? 0);
    const out: ShapedGlyph[] = [];
    let k = 0;
    for (const { glyph, length } of this.tables.ligate(ids)) {
      out.push({
        id: glyph,
        text: chars.slice(k, k + length).join(''),
        advance: this.info(glyph).advance,
        kernedAdvance: 0,
      });
      k += length;
    }
    out.forEach((g, i) => {
      const next = out[i + 1];
      g.kernedAdvance = g.advance + (next ? this.tables.kern(g.id, next.id) : 0);
    });
    return out;
  }

  shape(text: string, size: number): Shaped {
    const glyphs = this.glyphs(text);
    let units = 0;
    for (const g of glyphs) units += g.kernedAdvance;
    return { glyphs, width: (units * size) / this.unitsPerEm };
  }

  width(text: string, size: number): number {
    return this.shape(text, size).width;
  }
}

// A parsed font and its shaping caches live as long as the font bytes: a process that typesets
// twice (a server, the benchmark's warm runs) parses the font and its GSUB/GPOS tables once.
const shapers = new WeakMap<Uint8Array, Shaper>();

export async function shaperFor(fontBytes: Uint8Array): Promise<Shaper> {
  let s = shapers.get(fontBytes);
  if (!s) {
    s = new Shaper(await openFont(fontBytes));
    shapers.set(fontBytes, s);
  }
  return s;
}
