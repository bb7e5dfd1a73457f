/** The view WebCrypto's types ask for: core bytes are never backed by a SharedArrayBuffer. */
export const plain = (b: Uint8Array): Uint8Array<ArrayBuffer> =>
  b.buffer instanceof ArrayBuffer ? (b as Uint8Array<ArrayBuffer>) : new Uint8Array(b);
