import type { CryptoProvider } from '../crypto.js';
import { nodeHash, type Hash } from './merkle.js';

// The C2SP tlog-tiles layout (c2sp.org/tlog-tiles): the tree as static files. Tiles are 256
// hashes wide (height 8); level 0 holds leaf hashes, level L+1 the roots of full level-L tiles.
//   tile/<L>/<N>[.p/<W>]        hashes, 32 bytes each
//   tile/entries/<N>[.p/<W>]    the entries, each a big-endian uint16 length then its bytes
// Go's golang.org/x/mod/sumdb/tlog uses the same tiles with height 8 under tile/8/<L>/<N>, and
// its data tiles under tile/8/data/<N>: only the path prefix differs.

export const TILE_WIDTH = 256;
export const MAX_ENTRY = 0xffff;

/** <N> as zero-padded 3-digit path elements, all but the last prefixed with "x". */
export function tileIndexPath(n: number): string {
  let s = String(n % 1000).padStart(3, '0');
  for (n = Math.floor(n / 1000); n > 0; n = Math.floor(n / 1000))
    s = `x${String(n % 1000).padStart(3, '0')}/${s}`;
  return s;
}

/** The path of a tile: level L (or "entries"), index N, width W (256 is a full tile). */
export function tilePath(level: number | 'entries', n: number, width: number): string {
  return `tile/${level}/${tileIndexPath(n)}${width === TILE_WIDTH ? '' : `.p/${width}`}`;
}

/** The hashes of each level for a tree, level 0 being the leaf hashes. */
export function levels(crypto: CryptoProvider, leaves: readonly Hash[]): Hash[][] {
  const out: Hash[][] = [[...leaves]];
  for (;;) {
    const below = out[out.length - 1]!;
    const full = Math.floor(below.length / TILE_WIDTH);
    if (full === 0) return out;
    out.push(
      Array.from({ length: full }, (_, i) =>
        subtreeRoot(crypto, below, i * TILE_WIDTH, TILE_WIDTH),
      ),
    );
  }
}

/** The root of the perfect subtree over hashes [from, from + count), count a power of two. */
function subtreeRoot(
  crypto: CryptoProvider,
  hashes: readonly Hash[],
  from: number,
  count: number,
): Hash {
  if (count === 1) return hashes[from]!;
  const half = count / 2;
  return nodeHash(
    crypto,
    subtreeRoot(crypto, hashes, from, half),
    subtreeRoot(crypto, hashes, from + half, half),
  );
}

/** The tiles (path, width) that a tree of `size` leaves is served as: full ones and its partials. */
export function tilesFor(size: number): { level: number; n: number; width: number }[] {
  const out: { level: number; n: number; width: number }[] = [];
  for (let level = 0, count = size; count > 0; level++, count = Math.floor(count / TILE_WIDTH)) {
    for (let n = 0; n < Math.floor(count / TILE_WIDTH); n++)
      out.push({ level, n, width: TILE_WIDTH });
    const width = count % TILE_WIDTH;
    if (width > 0) out.push({ level, n: Math.floor(count / TILE_WIDTH), width });
  }
  return out;
}

const concat = (parts: readonly Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

/** Every file of the tree of `size` leaves: hash tiles and entry bundles, by path. */
export function tileFiles(
  crypto: CryptoProvider,
  entries: readonly Uint8Array[],
  leaves: readonly Hash[],
  size: number,
): Map<string, Uint8Array> {
  const byLevel = levels(crypto, leaves.slice(0, size));
  const files = new Map<string, Uint8Array>();
  for (const t of tilesFor(size)) {
    const from = t.n * TILE_WIDTH;
    files.set(
      tilePath(t.level, t.n, t.width),
      concat(byLevel[t.level]!.slice(from, from + t.width)),
    );
    if (t.level === 0)
      files.set(
        tilePath('entries', t.n, t.width),
        entryBundle(entries.slice(from, from + t.width)),
      );
  }
  return files;
}

export function entryBundle(entries: readonly Uint8Array[]): Uint8Array {
  return concat(
    entries.flatMap((e) => {
      if (e.length > MAX_ENTRY) throw new RangeError('a log entry is at most 65535 bytes');
      return [new Uint8Array([e.length >> 8, e.length & 255]), e];
    }),
  );
}

/** The entries of a bundle, or undefined when it is not a sequence of length-prefixed entries. */
export function parseEntryBundle(bytes: Uint8Array): Uint8Array[] | undefined {
  const out: Uint8Array[] = [];
  for (let at = 0; at < bytes.length;) {
    if (at + 2 > bytes.length) return undefined;
    const len = (bytes[at]! << 8) | bytes[at + 1]!;
    if (at + 2 + len > bytes.length) return undefined;
    out.push(bytes.subarray(at + 2, at + 2 + len));
    at += 2 + len;
  }
  return out;
}
