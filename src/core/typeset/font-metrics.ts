import type { HbFont } from './hb/font.js';

/** What a PDF FontDescriptor says about a font, font units (ISO 32000-1, 9.8). */
export interface FontMetrics {
  postscriptName: string;
  unitsPerEm: number;
  bbox: { minX: number; minY: number; maxX: number; maxY: number };
  italicAngle: number;
  ascent: number;
  descent: number;
  capHeight: number;
  xHeight: number;
}

/** Reads the metrics through HarfBuzz; the bounding box and italic angle from 'head' and 'post'. */
export function fontMetrics(font: HbFont): FontMetrics {
  const head = view(font.table('head'), 54, 'head');
  const post = view(font.table('post'), 32, 'post');
  const ascent = font.metric('hasc') ?? 0;
  return {
    postscriptName: font.name(6) ?? 'Font',
    unitsPerEm: font.unitsPerEm,
    bbox: {
      minX: head.getInt16(36),
      minY: head.getInt16(38),
      maxX: head.getInt16(40),
      maxY: head.getInt16(42),
    },
    // A 16.16 fixed-point number.
    italicAngle: post.getInt32(4) / 65536,
    ascent,
    descent: font.metric('hdsc') ?? 0,
    capHeight: font.metric('cpht') ?? ascent,
    xHeight: font.metric('xhgt') ?? 0,
  };
}

function view(table: Uint8Array, min: number, tag: string): DataView {
  if (table.length < min) throw new Error(`the font's '${tag}' table is missing or short`);
  return new DataView(table.buffer, table.byteOffset, table.byteLength);
}
