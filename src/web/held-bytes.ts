import { neverReused } from './blob-source.js';

// Bytes kept for one native digest at the end. Chunks a blob source read are kept as they are
// (a copy of 200 MB costs ~100 ms); anything else is copied, since its buffer may be reused.

export class HeldBytes {
  private parts: Uint8Array[] = [];
  size = 0;
  constructor(private readonly limit: number) {}

  /** Keeps `data`; false past the limit. */
  push(data: Uint8Array): boolean {
    if (this.size + data.length > this.limit) return false;
    this.parts.push(neverReused(data.buffer) ? data : data.slice());
    this.size += data.length;
    return true;
  }

  /** Everything kept, in order, as pieces; the holder is empty after. */
  take(): Uint8Array[] {
    const out = this.parts;
    this.parts = [];
    return out;
  }

  /** Everything kept, as one buffer (what WebCrypto's digest takes). */
  whole(): Uint8Array<ArrayBuffer> {
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const p of this.take()) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}
