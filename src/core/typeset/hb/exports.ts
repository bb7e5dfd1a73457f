// The raw C API of harfbuzzjs's two WebAssembly builds, as much of it as docprov calls. Pointers
// are byte offsets into the module's memory; a 0 pointer is a failed allocation.

type Ptr = number;

/** What both builds export: the heap and HarfBuzz's blob and face basics. */
export interface HbCommon {
  memory: WebAssembly.Memory;
  malloc(size: number): Ptr;
  free(ptr: Ptr): void;
  hb_blob_create(data: Ptr, length: number, mode: number, userData: Ptr, destroy: Ptr): Ptr;
  hb_blob_destroy(blob: Ptr): void;
  hb_blob_get_data(blob: Ptr, length: Ptr): Ptr;
  hb_blob_get_length(blob: Ptr): number;
  hb_face_create(blob: Ptr, index: number): Ptr;
  hb_face_destroy(face: Ptr): void;
}

/** harfbuzz.wasm: shaping, font metrics and OpenType tables. */
export interface HbShapeExports extends HbCommon {
  __wasm_call_ctors(): void;
  hb_face_get_upem(face: Ptr): number;
  hb_face_reference_table(face: Ptr, tag: number): Ptr;
  hb_font_create(face: Ptr): Ptr;
  hb_font_get_nominal_glyph(font: Ptr, codepoint: number, glyph: Ptr): number;
  hb_font_get_glyph_h_advance(font: Ptr, glyph: number): number;
  hb_ot_metrics_get_position(font: Ptr, tag: number, position: Ptr): number;
  hb_ot_name_get_utf16(face: Ptr, nameId: number, language: Ptr, size: Ptr, text: Ptr): number;
  hb_language_from_string(str: Ptr, length: number): Ptr;
  hb_buffer_create(): Ptr;
  hb_buffer_clear_contents(buffer: Ptr): void;
  hb_buffer_add_codepoints(buffer: Ptr, text: Ptr, length: number, offset: number, n: number): void;
  hb_buffer_set_direction(buffer: Ptr, direction: number): void;
  hb_buffer_set_script(buffer: Ptr, script: number): void;
  hb_buffer_set_language(buffer: Ptr, language: Ptr): void;
  hb_buffer_get_length(buffer: Ptr): number;
  hb_buffer_get_glyph_infos(buffer: Ptr, length: Ptr): Ptr;
  hb_buffer_get_glyph_positions(buffer: Ptr, length: Ptr): Ptr;
  hb_shape(font: Ptr, buffer: Ptr, features: Ptr, count: number): void;
}

/** harfbuzz-subset.wasm: hb-subset. */
export interface HbSubsetExports extends HbCommon {
  _initialize(): void;
  hb_face_reference_blob(face: Ptr): Ptr;
  hb_set_add(set: Ptr, value: number): void;
  hb_subset_input_create_or_fail(): Ptr;
  hb_subset_input_destroy(input: Ptr): void;
  hb_subset_input_glyph_set(input: Ptr): Ptr;
  hb_subset_input_set(input: Ptr, which: number): Ptr;
  hb_subset_input_get_flags(input: Ptr): number;
  hb_subset_input_set_flags(input: Ptr, flags: number): void;
  hb_subset_or_fail(face: Ptr, input: Ptr): Ptr;
}

/** An OpenType tag as HarfBuzz's 32-bit hb_tag_t. */
export function hbTag(tag: string): number {
  if (!/^[\x20-\x7e]{4}$/.test(tag)) throw new Error(`not an OpenType tag: ${JSON.stringify(tag)}`);
  return (
    ((tag.charCodeAt(0) << 24) |
      (tag.charCodeAt(1) << 16) |
      (tag.charCodeAt(2) << 8) |
      tag.charCodeAt(3)) >>>
    0
  );
}
