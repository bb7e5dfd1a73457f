import { hbTag, type HbShapeExports } from './exports.js';
import { alloc, blobBytes, copyIn, i32, u32 } from './heap.js';

/** How a run of text is shaped: its script (ISO 15924, e.g. "Latn", "Arab"), direction, language (BCP 47). */
export interface RunProps {
  script: string;
  direction: 'ltr' | 'rtl';
  language: string;
}

/** HarfBuzz's output for one glyph, font units; `cluster` indexes the run's code points. */
export interface HbGlyph {
  id: number;
  cluster: number;
  xAdvance: number;
  xOffset: number;
  yOffset: number;
}

const HB_MEMORY_MODE_READONLY = 1;
const DIRECTION = { ltr: 4, rtl: 5 } as const;
// hb_glyph_info_t and hb_glyph_position_t are five 32-bit words each.
const RECORD = 5;

/** A font opened in HarfBuzz: shaping with every default feature the font has, and its metrics. */
export class HbFont {
  private readonly face: number;
  private readonly font: number;
  private readonly buffer: number;
  /** Scratch space for one 32-bit out-parameter. */
  private readonly out: number;
  private readonly languages = new Map<string, number>();
  // Each answer is a call into WebAssembly; a letter asks about the same few glyphs thousands of times.
  private readonly nominal = new Map<number, number | undefined>();
  private readonly advances = new Map<number, number>();
  readonly unitsPerEm: number;

  constructor(
    private readonly hb: HbShapeExports,
    bytes: Uint8Array,
  ) {
    // The font's bytes stay in the heap for the life of the process: the face reads them lazily.
    const data = copyIn(hb, bytes);
    const blob = hb.hb_blob_create(data, bytes.length, HB_MEMORY_MODE_READONLY, 0, 0);
    this.face = hb.hb_face_create(blob, 0);
    hb.hb_blob_destroy(blob);
    this.font = hb.hb_font_create(this.face);
    this.buffer = hb.hb_buffer_create();
    this.out = alloc(hb, 4);
    this.unitsPerEm = hb.hb_face_get_upem(this.face);
  }

  /** The glyph the font's cmap gives a code point, or undefined. */
  nominalGlyph(cp: number): number | undefined {
    if (!this.nominal.has(cp))
      this.nominal.set(
        cp,
        this.hb.hb_font_get_nominal_glyph(this.font, cp, this.out)
          ? u32(this.hb, this.out)
          : undefined,
      );
    return this.nominal.get(cp);
  }

  /** A glyph's own advance, font units: what the PDF's /W array says. */
  advance(glyph: number): number {
    let a = this.advances.get(glyph);
    if (a === undefined) {
      a = this.hb.hb_font_get_glyph_h_advance(this.font, glyph);
      this.advances.set(glyph, a);
    }
    return a;
  }

  /** An OpenType metric ("hasc", "hdsc", "cpht", "xhgt", ...), font units, or undefined. */
  metric(tag: string): number | undefined {
    return this.hb.hb_ot_metrics_get_position(this.font, hbTag(tag), this.out)
      ? i32(this.hb, this.out)
      : undefined;
  }

  /** A copy of one of the font's tables (empty when the font has none). */
  table(tag: string): Uint8Array {
    const blob = this.hb.hb_face_reference_table(this.face, hbTag(tag));
    const bytes = blobBytes(this.hb, blob);
    this.hb.hb_blob_destroy(blob);
    return bytes;
  }

  /** A name-table entry (e.g. 6, the PostScript name), or undefined. */
  name(id: number): string | undefined {
    const hb = this.hb;
    const size = 128;
    const text = alloc(hb, size * 2);
    new Uint32Array(hb.memory.buffer, this.out, 1)[0] = size;
    // Language 0 (HB_LANGUAGE_INVALID) asks HarfBuzz for the default, English, entry.
    const total = hb.hb_ot_name_get_utf16(this.face, id, 0, this.out, text);
    const n = u32(hb, this.out);
    const name = String.fromCharCode(...new Uint16Array(hb.memory.buffer, text, n));
    hb.free(text);
    return total === 0 ? undefined : name;
  }

  /** Shapes code points as one run; glyphs come in visual order (left to right). */
  shape(codePoints: readonly number[], props: RunProps): HbGlyph[] {
    const hb = this.hb;
    const buffer = this.buffer;
    hb.hb_buffer_clear_contents(buffer);
    const text = alloc(hb, codePoints.length * 4);
    new Uint32Array(hb.memory.buffer, text, codePoints.length).set(codePoints);
    hb.hb_buffer_add_codepoints(buffer, text, codePoints.length, 0, codePoints.length);
    hb.free(text);
    hb.hb_buffer_set_direction(buffer, DIRECTION[props.direction]);
    hb.hb_buffer_set_script(buffer, hbTag(props.script));
    hb.hb_buffer_set_language(buffer, this.language(props.language));
    hb.hb_shape(this.font, buffer, 0, 0);
    const n = hb.hb_buffer_get_length(buffer);
    const infos = new Uint32Array(
      hb.memory.buffer,
      hb.hb_buffer_get_glyph_infos(buffer, 0),
      n * RECORD,
    );
    const pos = new Int32Array(
      hb.memory.buffer,
      hb.hb_buffer_get_glyph_positions(buffer, 0),
      n * RECORD,
    );
    const glyphs: HbGlyph[] = [];
    for (let i = 0; i < n; i++) {
      const r = i * RECORD;
      glyphs.push({
        id: infos[r]!,
        cluster: infos[r + 2]!,
        xAdvance: pos[r]!,
        xOffset: pos[r + 2]!,
        yOffset: pos[r + 3]!,
      });
    }
    return glyphs;
  }

  private language(tag: string): number {
    let lang = this.languages.get(tag);
    if (lang === undefined) {
      const bytes = new TextEncoder().encode(tag);
      const str = copyIn(this.hb, bytes);
      lang = this.hb.hb_language_from_string(str, bytes.length);
      this.hb.free(str);
      this.languages.set(tag, lang);
    }
    return lang;
  }
}
