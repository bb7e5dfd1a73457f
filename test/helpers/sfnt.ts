// A reader for the few TrueType facts the subsetting tests check: table lengths and glyph sizes.

export interface Sfnt {
  tables: Map<string, Uint8Array>;
  numGlyphs: number;
  /** Bytes of a glyph's outline in 'glyf' (0: an empty glyph). */
  glyphLength(id: number): number;
}

export function readSfnt(bytes: Uint8Array): Sfnt {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tables = new Map<string, Uint8Array>();
  for (let i = 0; i < dv.getUint16(4); i++) {
    const rec = 12 + 16 * i;
    const tag = String.fromCharCode(...bytes.subarray(rec, rec + 4));
    const offset = dv.getUint32(rec + 8);
    tables.set(tag, bytes.subarray(offset, offset + dv.getUint32(rec + 12)));
  }
  const view = (tag: string) => {
    const t = tables.get(tag)!;
    return new DataView(t.buffer, t.byteOffset, t.byteLength);
  };
  const longLoca = view('head').getInt16(50) === 1;
  const loca = view('loca');
  const at = (i: number) => (longLoca ? loca.getUint32(4 * i) : 2 * loca.getUint16(2 * i));
  return {
    tables,
    numGlyphs: view('maxp').getUint16(4),
    glyphLength: (id) => at(id + 1) - at(id),
  };
}
