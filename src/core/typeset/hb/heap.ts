import type { HbCommon } from './exports.js';

// The module's memory can grow during any call, which detaches earlier views of it: every read
// takes a fresh view.

export function alloc(hb: HbCommon, size: number): number {
  const ptr = hb.malloc(Math.max(size, 1));
  if (ptr === 0) throw new Error('HarfBuzz: out of WebAssembly memory');
  return ptr;
}

/** Copies bytes into the heap; the caller frees the pointer. */
export function copyIn(hb: HbCommon, bytes: Uint8Array): number {
  const ptr = alloc(hb, bytes.length);
  new Uint8Array(hb.memory.buffer).set(bytes, ptr);
  return ptr;
}

/** A copy of a blob's bytes. */
export function blobBytes(hb: HbCommon, blob: number): Uint8Array {
  const length = hb.hb_blob_get_length(blob);
  const data = hb.hb_blob_get_data(blob, 0);
  return new Uint8Array(hb.memory.buffer, data, length).slice();
}

export const u32 = (hb: HbCommon, ptr: number): number =>
  new Uint32Array(hb.memory.buffer, ptr, 1)[0]!;
export const i32 = (hb: HbCommon, ptr: number): number =>
  new Int32Array(hb.memory.buffer, ptr, 1)[0]!;
