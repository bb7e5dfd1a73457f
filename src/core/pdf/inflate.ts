import { Inflate } from 'pako/lib/inflate.js';

// FlateDecode with an output limit: a few kilobytes of hostile input can inflate to gigabytes,
// so decoding stops as soon as the output passes what the caller can use.

export class InflateError extends Error {}

export function inflateCapped(data: Uint8Array, maxOutput: number, what: string): Uint8Array {
  const parts: Uint8Array[] = [];
  let total = 0;
  const inf = new Inflate({ chunkSize: 1 << 16 });
  inf.onData = (chunk: Uint8Array) => {
    total += chunk.length;
    if (total > maxOutput)
      throw new InflateError(`${what} inflates to more than ${maxOutput} bytes`);
    parts.push(chunk);
  };
  inf.onEnd = () => {};
  const step = 1 << 16;
  for (let at = 0; at < data.length; at += step) {
    inf.push(data.subarray(at, at + step), at + step >= data.length);
    if (inf.err) throw new InflateError(`${what} is not valid Flate data (${inf.msg})`);
  }
  if (data.length === 0) throw new InflateError(`${what} is empty`);
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
