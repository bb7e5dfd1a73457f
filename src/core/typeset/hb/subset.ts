import type { HbSubsetExports } from './exports.js';
import { blobBytes, copyIn } from './heap.js';
import { hbTag } from './exports.js';

// hb-subset, driven as the subset-font package drives it, but by glyph id: the glyphs to keep
// are the ones shaping produced, and they keep their ids (retain-gids), so the content stream's
// glyph ids, /W and ToUnicode need no remapping.

const HB_MEMORY_MODE_READONLY = 1;
const HB_SUBSET_SETS_DROP_TABLE_TAG = 3;
const HB_SUBSET_FLAGS_RETAIN_GIDS = 0x2;
const HB_SUBSET_FLAGS_NO_LAYOUT_CLOSURE = 0x200;
/** A PDF viewer draws glyphs by id and never shapes: the layout tables are dead weight. */
const DROP_TABLES = ['GSUB', 'GPOS', 'GDEF', 'BASE', 'JSTF', 'MATH', 'STAT'];

/** A TrueType font holding only the given glyphs (and .notdef), at their original ids. */
export function subsetGlyphs(
  hb: HbSubsetExports,
  font: Uint8Array,
  glyphs: Iterable<number>,
): Uint8Array {
  const data = copyIn(hb, font);
  const blob = hb.hb_blob_create(data, font.length, HB_MEMORY_MODE_READONLY, 0, 0);
  const face = hb.hb_face_create(blob, 0);
  hb.hb_blob_destroy(blob);
  const input = hb.hb_subset_input_create_or_fail();
  try {
    if (input === 0) throw new Error('hb-subset: cannot create its input');
    const keep = hb.hb_subset_input_glyph_set(input);
    hb.hb_set_add(keep, 0);
    for (const g of glyphs) hb.hb_set_add(keep, g);
    const drop = hb.hb_subset_input_set(input, HB_SUBSET_SETS_DROP_TABLE_TAG);
    for (const tag of DROP_TABLES) hb.hb_set_add(drop, hbTag(tag));
    hb.hb_subset_input_set_flags(
      input,
      hb.hb_subset_input_get_flags(input) |
        HB_SUBSET_FLAGS_RETAIN_GIDS |
        HB_SUBSET_FLAGS_NO_LAYOUT_CLOSURE,
    );
    const subset = hb.hb_subset_or_fail(face, input);
    if (subset === 0) throw new Error('hb-subset failed on the font');
    const out = hb.hb_face_reference_blob(subset);
    const bytes = blobBytes(hb, out);
    hb.hb_blob_destroy(out);
    hb.hb_face_destroy(subset);
    return bytes;
  } finally {
    if (input !== 0) hb.hb_subset_input_destroy(input);
    hb.hb_face_destroy(face);
    hb.free(data);
  }
}
