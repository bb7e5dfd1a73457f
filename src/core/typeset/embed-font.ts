import { PDFString, type PDFContext, type PDFRef } from '../pdf-lib.js';
import type { FontMetrics } from './font-metrics.js';
import type { ShapedGlyph } from './shaper.js';

// Our own Type0/CIDFontType2 embedding: pdf-lib's would not let us write kerned TJ arrays, its
// subset tag is not a valid six-letter tag, and its ToUnicode map is built from single glyphs.
// The subset keeps glyph ids, so a CID is the glyph id and CIDToGIDMap is the identity.

interface Used {
  text: string;
  advance: number;
}

export class EmbeddedFont {
  private readonly used = new Map<number, Used>();

  constructor(
    private readonly metrics: FontMetrics,
    readonly resourceName: string,
  ) {}

  /** The CID of a glyph (its id), recording the text it stands for the first time it has one. */
  cid(glyph: ShapedGlyph): number {
    const u = this.used.get(glyph.id);
    if (!u) this.used.set(glyph.id, { text: glyph.text, advance: glyph.advance });
    else if (u.text === '') u.text = glyph.text;
    return glyph.id;
  }

  /** The glyphs used so far: what the subset must keep. */
  glyphIds(): number[] {
    return [...this.used.keys()].sort((a, b) => a - b);
  }

  /** Six capital letters derived from the glyph set (ISO 32000-1, 9.6.4): same glyphs, same tag. */
  private tag(): string {
    let h = 0x811c9dc5;
    for (const id of this.glyphIds()) {
      h ^= id;
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    let tag = '';
    for (let i = 0; i < 6; i++) {
      tag += String.fromCharCode(65 + (h % 26));
      h = Math.floor(h / 26) >>> 0;
    }
    return tag;
  }

  private toUnicode(): string {
    // A glyph that only ever stood inside another glyph's cluster maps to no text of its own.
    const entries = this.glyphIds()
      .map((cid) => ({ cid, text: this.used.get(cid)!.text }))
      .filter((e) => e.text !== '');
    const hex16 = (n: number) => n.toString(16).toUpperCase().padStart(4, '0');
    const utf16 = (s: string) =>
      [...s]
        .map((c) => {
          const cp = c.codePointAt(0)!;
          if (cp < 0x10000) return hex16(cp);
          const v = cp - 0x10000;
          return hex16(0xd800 + (v >> 10)) + hex16(0xdc00 + (v & 0x3ff));
        })
        .join('');
    const chunks: string[] = [];
    for (let i = 0; i < entries.length; i += 100) {
      const part = entries.slice(i, i + 100);
      chunks.push(
        `${part.length} beginbfchar\n${part.map((e) => `<${hex16(e.cid)}> <${utf16(e.text)}>`).join('\n')}\nendbfchar`,
      );
    }
    return [
      '/CIDInit /ProcSet findresource begin',
      '12 dict begin',
      'begincmap',
      '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
      '/CMapName /Adobe-Identity-UCS def',
      '/CMapType 2 def',
      '1 begincodespacerange',
      '<0000> <FFFF>',
      'endcodespacerange',
      ...chunks,
      'endcmap',
      'CMapName currentdict /CMap defineresource pop',
      'end',
      'end',
    ].join('\n');
  }

  /** Writes the font objects at `ref`, once every glyph has been used; `program` is the subset. */
  embed(context: PDFContext, ref: PDFRef, program: Uint8Array): void {
    const f = this.metrics;
    const scale = 1000 / f.unitsPerEm;
    const name = `${this.tag()}+${f.postscriptName}`;
    // Length1, the decoded length, is required for a TrueType font program (ISO 32000-1, 9.9).
    const fontFile = context.register(context.flateStream(program, { Length1: program.length }));
    const descriptor = context.register(
      context.obj({
        Type: 'FontDescriptor',
        FontName: name,
        Flags: 34, // serif, non-symbolic
        FontBBox: [
          f.bbox.minX * scale,
          f.bbox.minY * scale,
          f.bbox.maxX * scale,
          f.bbox.maxY * scale,
        ].map(Math.round),
        ItalicAngle: f.italicAngle,
        Ascent: Math.round(f.ascent * scale),
        Descent: Math.round(f.descent * scale),
        CapHeight: Math.round(f.capHeight * scale),
        XHeight: Math.round(f.xHeight * scale),
        StemV: 80,
        FontFile2: fontFile,
      }),
    );
    const widths: (number | number[])[] = [];
    for (const cid of this.glyphIds())
      widths.push(cid, [Math.round(this.used.get(cid)!.advance * scale)]);
    const cidFont = context.register(
      context.obj({
        Type: 'Font',
        Subtype: 'CIDFontType2',
        BaseFont: name,
        CIDSystemInfo: {
          Registry: PDFString.of('Adobe'),
          Ordering: PDFString.of('Identity'),
          Supplement: 0,
        },
        FontDescriptor: descriptor,
        CIDToGIDMap: 'Identity',
        DW: 0,
        W: widths,
      }),
    );
    const toUnicode = context.register(context.flateStream(this.toUnicode()));
    context.assign(
      ref,
      context.obj({
        Type: 'Font',
        Subtype: 'Type0',
        BaseFont: name,
        Encoding: 'Identity-H',
        DescendantFonts: [cidFont],
        ToUnicode: toUnicode,
      }),
    );
  }
}
