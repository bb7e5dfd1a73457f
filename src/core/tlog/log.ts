import { sameBytes, type CryptoProvider } from '../crypto.js';
import { openCheckpoint, signCheckpoint, type Checkpoint } from './checkpoint.js';
import {
  consistencyProof,
  inclusionProof,
  leafHash,
  rootOf,
  verifyConsistency,
  type Hash,
} from './merkle.js';
import type { NoteKey, NoteSigner } from './note.js';
import { formatTlogProof } from './proof-file.js';
import { parseEntryBundle, tileFiles, tilePath, tilesFor, TILE_WIDTH } from './tiles.js';

// A transparency log kept as files (the C2SP tlog-tiles layout), read, audited and extended
// without I/O: the edge gives a way to read a file by its path in the log folder.
//   checkpoint            the newest checkpoint: the commit point of every append
//   checkpoints/<size>    every checkpoint the log has signed, kept (consistency is checked)
//   tile/...              hash tiles and entry bundles, for every size a checkpoint names

export type ReadFile = (path: string) => Uint8Array | undefined;

export interface LogView {
  origin: string;
  size: number;
  root: Hash;
  /** The checkpoint note as stored. */
  checkpoint: Uint8Array;
  entries: Uint8Array[];
  leaves: Hash[];
}

export const historyPath = (size: number): string => `checkpoints/${size}`;

/** The entries of the tree of `size` leaves, from its entry bundles, or what is wrong. */
function readEntries(read: ReadFile, size: number): Uint8Array[] | string {
  const entries: Uint8Array[] = [];
  for (const t of tilesFor(size).filter((t) => t.level === 0)) {
    const path = tilePath('entries', t.n, t.width);
    const bytes = read(path);
    if (!bytes) return `${path} is missing`;
    const bundle = parseEntryBundle(bytes);
    if (!bundle || bundle.length !== t.width)
      return `${path} does not hold ${t.width} length-prefixed entries`;
    entries.push(...bundle);
  }
  return entries;
}

/**
 * The log as its checkpoint states it, checked: the checkpoint is signed by `key`, its entries
 * hash to its root, and every tile it needs holds exactly the hashes the entries give. An
 * absent checkpoint is an empty log (origin from the key).
 */
export function readLog(crypto: CryptoProvider, read: ReadFile, key: NoteKey): LogView | string {
  const note = read('checkpoint');
  if (!note)
    return {
      origin: key.name,
      size: 0,
      root: rootOf(crypto, []),
      checkpoint: new Uint8Array(0),
      entries: [],
      leaves: [],
    };
  const opened = openCheckpoint(crypto, note, [key]);
  if (!opened.ok) return `checkpoint: ${opened.reason}`;
  const c = opened.checkpoint;
  const entries = readEntries(read, c.size);
  if (typeof entries === 'string') return entries;
  const leaves = entries.map((e) => leafHash(crypto, e));
  if (!sameBytes(rootOf(crypto, leaves), c.root))
    return `the entries do not hash to the checkpoint's root (size ${c.size})`;
  for (const [path, bytes] of tileFiles(crypto, entries, leaves, c.size)) {
    const stored = read(path);
    if (!stored) return `${path} is missing`;
    if (!sameBytes(stored, bytes)) return `${path} does not hold the hashes of the entries`;
  }
  return { origin: c.origin, size: c.size, root: c.root, checkpoint: note, entries, leaves };
}

/** The index of an entry already in the log, or undefined. */
export function findEntry(log: LogView, entry: Uint8Array): number | undefined {
  const i = log.entries.findIndex((e) => sameBytes(e, entry));
  return i < 0 ? undefined : i;
}

/** The tlog proof of entry `index` against the log's current checkpoint. */
export function proveEntry(crypto: CryptoProvider, log: LogView, index: number): Uint8Array {
  return formatTlogProof({
    index,
    proof: inclusionProof(crypto, log.leaves, index, log.size),
    checkpoint: log.checkpoint,
  });
}

export interface Append {
  index: number;
  /** The log after the append. */
  log: LogView;
  /** Every tile and bundle of the new size (the edge writes those that are new or differ). */
  tiles: Map<string, Uint8Array>;
  /** The new checkpoint: written to checkpoints/<size>, then, last, to checkpoint. */
  checkpoint: Uint8Array;
}

/** The log with `entry` appended, and the files that say so. Nothing is written here. */
export function planAppend(
  crypto: CryptoProvider,
  log: LogView,
  entry: Uint8Array,
  signer: NoteSigner,
): Append {
  const entries = [...log.entries, entry];
  const leaves = [...log.leaves, leafHash(crypto, entry)];
  const c: Checkpoint = { origin: log.origin, size: entries.length, root: rootOf(crypto, leaves) };
  const checkpoint = new TextEncoder().encode(signCheckpoint(crypto, c, signer));
  return {
    index: log.size,
    log: { origin: c.origin, size: c.size, root: c.root, checkpoint, entries, leaves },
    tiles: tileFiles(crypto, entries, leaves, c.size),
    checkpoint,
  };
}

/** Every path the log needs for the checkpoints of these sizes (tiles are never rewritten). */
export function neededPaths(sizes: readonly number[]): Set<string> {
  const out = new Set<string>(['checkpoint']);
  for (const s of sizes) {
    out.add(historyPath(s));
    for (const t of tilesFor(s)) {
      out.add(tilePath(t.level, t.n, t.width));
      if (t.level === 0) out.add(tilePath('entries', t.n, t.width));
    }
  }
  return out;
}

export interface Audit {
  log?: LogView;
  /** Sizes of the checkpoints in checkpoints/, oldest first. */
  history: number[];
  problems: string[];
}

/**
 * The whole log checked, as a monitor would: the newest checkpoint against the tiles, and every
 * kept checkpoint (checkpoints/<size>) signed by the same key and consistent with the newest,
 * its partial tiles still served, and the newest kept too.
 */
export function auditLog(
  crypto: CryptoProvider,
  read: ReadFile,
  historyNames: readonly string[],
  key: NoteKey,
): Audit {
  const problems: string[] = [];
  const log = readLog(crypto, read, key);
  if (typeof log === 'string') return { history: [], problems: [log] };
  const history: number[] = [];
  for (const name of historyNames) {
    if (!/^(0|[1-9][0-9]{0,15})$/.test(name)) {
      problems.push(`checkpoints/${name} is not named by a tree size`);
      continue;
    }
    const size = Number(name);
    const bytes = read(historyPath(size));
    if (!bytes) {
      problems.push(`checkpoints/${name} is not a file`);
      continue;
    }
    const opened = openCheckpoint(crypto, bytes, [key]);
    if (!opened.ok) {
      problems.push(`checkpoints/${name}: ${opened.reason}`);
      continue;
    }
    const c = opened.checkpoint;
    if (c.size !== size || c.origin !== log.origin) {
      problems.push(`checkpoints/${name} states size ${c.size} of "${c.origin}"`);
      continue;
    }
    if (size > log.size) {
      problems.push(`checkpoints/${name} is newer than the log's checkpoint (size ${log.size})`);
      continue;
    }
    history.push(size);
    if (size === 0) continue;
    // The proof a reader holding this checkpoint would be given, checked as they would check it.
    const proof = consistencyProof(crypto, log.leaves, size, log.size);
    if (!verifyConsistency(crypto, size, log.size, c.root, log.root, proof))
      problems.push(
        `checkpoints/${name} is not consistent with the newest checkpoint (size ${log.size}): the log was rewritten`,
      );
    for (const t of tilesFor(size)) {
      const full = t.width === TILE_WIDTH;
      const served = [tilePath(t.level, t.n, t.width), tilePath(t.level, t.n, TILE_WIDTH)];
      if (!full && !served.some((p) => read(p)))
        problems.push(`${served[0]} is missing: checkpoint ${size} needs it`);
    }
  }
  history.sort((a, b) => a - b);
  const newest = read(historyPath(log.size));
  if (log.size > 0 && (!newest || !sameBytes(newest, log.checkpoint)))
    problems.push(`checkpoints/${log.size} is not the current checkpoint: the history lacks it`);
  return { log, history, problems };
}
