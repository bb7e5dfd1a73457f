import { HbFont } from './hb/font.js';
import { loadShaping } from './hb/instantiate.js';

/** harfbuzzjs's two WebAssembly builds, as bytes: the caller reads them (from disk, or fetched). */
export interface HarfBuzzWasm {
  /** harfbuzz.wasm: shaping. */
  shape: Uint8Array;
  /** harfbuzz-subset.wasm: hb-subset. */
  subset: Uint8Array;
}

// An opened font lives as long as its bytes: a process that typesets twice opens it once.
const fonts = new WeakMap<Uint8Array, WeakMap<Uint8Array, HbFont>>();

export async function openFont(wasm: HarfBuzzWasm, bytes: Uint8Array): Promise<HbFont> {
  const hb = await loadShaping(wasm.shape);
  let byFont = fonts.get(wasm.shape);
  if (!byFont) fonts.set(wasm.shape, (byFont = new WeakMap()));
  let font = byFont.get(bytes);
  if (!font) byFont.set(bytes, (font = new HbFont(hb, bytes)));
  return font;
}
