import type { EmbeddedFont } from './embed-font.js';
import type { ShapedGlyph, Shaper } from './shaper.js';

// Content-stream text: one TJ array a line, with HarfBuzz's positions and the justified word spaces
// written as TJ adjustments (Tw does nothing for two-byte CID fonts).

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
  /** Opens the line's marked content (tagged PDF), e.g. "/P <</MCID 0>> BDC"; closed at its end. */
  tag?: string;
  /** The last word ends in a hyphen that hyphenation added: marked as an artifact, not text. */
  hyphen?: boolean;
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
  const ops: string[] = [];
  let array: string[] = [];
  let run = '';
  let rise = 0;
  // A move still to be written, font units to the right; written before the next glyph only.
  let pending = 0;
  const flush = () => {
    if (run) array.push(`<${run}>`);
    run = '';
  };
  const endArray = () => {
    flush();
    if (array.length) ops.push(`[${array.join(' ')}] TJ`);
    array = [];
  };
  const glyph = (g: ShapedGlyph) => {
    // Marks raised or lowered by GPOS need a text rise, which a TJ array cannot hold.
    const r = (g.yOffset * size) / upm;
    if (r !== rise) {
      endArray();
      ops.push(`${num(r)} Ts`);
      rise = r;
    }
    pending += g.xOffset;
    // TJ numbers move left when positive, in thousandths of the (horizontally scaled) font size.
    const t = (-pending * 1000) / upm;
    if (Math.abs(t) >= 0.0005) {
      flush();
      array.push(num(t));
    }
    run += hex4(font.cid(g));
    // The viewer advances by the /W width; HarfBuzz's advance (with kerning) is what we want.
    pending = g.xAdvance - g.advance - g.xOffset;
  };
  const space = shaper.width(' ', size);
  const last = line.words.length - 1;
  line.words.forEach((word, w) => {
    if (w > 0) {
      shaper.glyphs(' ').forEach(glyph);
      if (line.gap !== undefined) pending += ((line.gap - space * scale) * upm) / (size * scale);
    }
    const glyphs = shaper.glyphs(word);
    const hyphen = line.tag && line.hyphen && w === last ? glyphs.at(-1) : undefined;
    if (hyphen?.text !== '-') {
      glyphs.forEach(glyph);
      return;
    }
    // The added hyphen is shaped with its word (kerning) but is no part of the tagged text.
    glyphs.slice(0, -1).forEach(glyph);
    endArray();
    ops.push('EMC /Artifact BMC');
    glyph(hyphen);
  });
  endArray();
  if (line.tag) ops.push('EMC');
  // Ts and Tz are text state that outlives ET, so every line sets its scale and leaves no rise.
  if (rise !== 0) ops.push('0 Ts');
  const open = line.tag ? `${line.tag} ` : '';
  return `BT /${font.resourceName} ${num(size)} Tf ${num(scale * 100)} Tz ${num(line.x)} ${num(line.y)} Td ${open}${ops.join(' ')} ET`;
}
