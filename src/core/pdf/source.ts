// Random and sequential access to a file's bytes, so the verifier never needs the whole file in
// memory: Node reads from a file handle, a browser from a File, tests from a Uint8Array.

export interface ByteSource {
  readonly size: number;
  /** Up to `length` bytes from `offset` (fewer at the end of the file). */
  read(offset: number, length: number): Promise<Uint8Array>;
  /** Consecutive chunks covering [start, end). */
  chunks(start: number, end: number): AsyncIterable<Uint8Array>;
}

export function memorySource(bytes: Uint8Array, chunkSize = 1 << 20): ByteSource {
  return {
    size: bytes.length,
    read: async (offset, length) =>
      bytes.subarray(Math.max(0, offset), Math.min(bytes.length, offset + length)),
    async *chunks(start, end) {
      for (let at = start; at < end; at += chunkSize)
        yield bytes.subarray(at, Math.min(end, at + chunkSize));
    },
  };
}

const windows1252 = new TextDecoder('windows-1252');

/**
 * Bytes as a string, one character a byte, for matching ASCII structure (keywords, numbers).
 * Decoded natively; bytes 0x80-0x9F may become other characters, which no PDF keyword uses.
 */
export const latin1 = (b: Uint8Array): string => windows1252.decode(b);
