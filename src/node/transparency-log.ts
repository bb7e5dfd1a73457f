import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  rmdirSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { sameBytes } from '../core/crypto.js';
import { DocprovError } from '../core/errors.js';
import { checkInclusion } from '../core/tlog/inclusion.js';
import {
  findEntry,
  historyPath,
  neededPaths,
  planAppend,
  proveEntry,
  readLog,
  type Append,
  type LogView,
  type ReadFile,
} from '../core/tlog/log.js';
import type { NoteKey } from '../core/tlog/note.js';
import { parseTlogProof } from '../core/tlog/proof-file.js';
import type { Say } from './atomic.js';
import { nodeCrypto } from './crypto.js';
import { syncFolder, writeFileDurably } from './durable.js';
import { fileError } from './files.js';
import { acquireLock, type Lock } from './lock.js';
import type { LogIdentity } from './log-key.js';

// The transparency log's folder, kept crash-safe like a published folder: one writer at a time
// (the lock .NAME.lock beside it), and every append writes only new names (tiles of the new
// size, checkpoints/<size>), each fsynced, before the one rename that commits it: checkpoint.
// A kill at any instant leaves the old checkpoint with its tiles, or the new one with its
// tiles; what an interrupted append left beyond the checkpoint is removed by the next run.

/** A tile is 8 KiB; an entry bundle at most 256 entries of 64 KiB. */
const MAX_LOG_FILE = 256 * 65_538;

const logError = (code: string, message: string, hint: string) =>
  new DocprovError(code, message, { severity: 'unusable', hint });

/** Reads files of the log folder by their log path; missing or odd ones are undefined. */
export function logReader(dir: string): ReadFile {
  return (path) => {
    const full = join(dir, path);
    const st = lstatSync(full, { throwIfNoEntry: false });
    if (!st?.isFile()) return undefined;
    if (st.size > MAX_LOG_FILE)
      throw logError(
        'log-damaged',
        `${full} is ${st.size} bytes: no log file is that large`,
        'restore the log folder from version control',
      );
    return new Uint8Array(readFileSync(full));
  };
}

/** The sizes named in checkpoints/ (the history), as file names. */
export function historyNames(dir: string): string[] {
  const d = join(dir, 'checkpoints');
  return existsSync(d) ? readdirSync(d).filter((n) => !n.includes('.tmp-')) : [];
}

/** Every file under the log folder, as log paths ("tile/0/000.p/1"). */
function listFiles(dir: string, under = ''): string[] {
  const at = join(dir, under);
  if (!existsSync(at)) return [];
  return readdirSync(at, { withFileTypes: true }).flatMap((e) => {
    const p = under ? `${under}/${e.name}` : e.name;
    return e.isDirectory() ? listFiles(dir, p) : [p];
  });
}

const isLogPath = (p: string) =>
  p.startsWith('tile/') || p.startsWith('checkpoints/') || p.includes('.tmp-');

function removeEmptyFolders(dir: string, under: string): void {
  const at = join(dir, under);
  if (!existsSync(at)) return;
  for (const e of readdirSync(at, { withFileTypes: true }))
    if (e.isDirectory()) removeEmptyFolders(dir, `${under}/${e.name}`);
  if (readdirSync(at).length === 0) rmdirSync(at);
}

/**
 * Under the lock: finishes what an interrupted append left (files beyond the checkpoint, which
 * no checkpoint names), and returns the log as its checkpoint states it, checked against `key`.
 */
export function recoverLog(dir: string, key: NoteKey, say: Say): LogView {
  const files = listFiles(dir);
  const read = logReader(dir);
  const history = historyNames(dir);
  if (!files.includes('checkpoint')) {
    // Only the first append, interrupted before its commit, leaves files without a checkpoint.
    if (files.length > 0 && (!files.every(isLogPath) || history.some((n) => n !== '1')))
      throw logError(
        'not-a-log',
        `${dir} holds files but no checkpoint: it is not a transparency log docprov keeps`,
        'give --log a new folder or the log itself; if this is the log, restore its checkpoint from version control',
      );
  }
  const log = readLog(nodeCrypto, read, key);
  if (typeof log === 'string')
    throw logError(
      'log-damaged',
      `the transparency log in ${dir} cannot be extended: ${log}`,
      'a log signed by another key needs that key (DOCPROV_LOG_KEY); a damaged one is restored from version control, never rewritten',
    );
  const beyond = history.filter((n) => !/^\d+$/.test(n) || Number(n) > log.size);
  if (beyond.some((n) => n !== String(log.size + 1)))
    throw logError(
      'log-damaged',
      `${dir}/checkpoints holds ${beyond.join(', ')}, newer than its checkpoint (size ${log.size}): the checkpoint was replaced by an older one`,
      'restore the newest checkpoint from version control; a log is never rolled back',
    );
  // A kill between the commit and its copy into the history: the copy is made now.
  if (log.size > 0 && !history.includes(String(log.size))) {
    keepInHistory(dir, log.size, log.checkpoint);
    history.push(String(log.size));
    say(
      `kept the checkpoint of ${log.size} entries in ${dir}/checkpoints, which an interrupted append had not yet done`,
    );
  }
  const needed = neededPaths([...history.filter((n) => !beyond.includes(n)).map(Number), log.size]);
  const leftovers = files.filter((p) => !needed.has(p) && isLogPath(p));
  for (const p of leftovers) rmSync(join(dir, p), { force: true });
  if (leftovers.length) {
    for (const top of ['tile', 'checkpoints']) removeEmptyFolders(dir, top);
    syncFolder(dir);
    say(
      `removed ${leftovers.length} file(s) an interrupted append left in the transparency log ${dir} (its checkpoint is the one of ${log.size} entries)`,
    );
  }
  return log;
}

/** Copies a committed checkpoint into checkpoints/<size>, the history a reader audits. */
function keepInHistory(dir: string, size: number, checkpoint: Uint8Array): void {
  const synced = new Set<string>();
  writeReplacing(dir, historyPath(size), checkpoint, synced);
  for (const d of synced) syncFolder(d);
}

/**
 * Writes `bytes` at `path` through a temporary file in the log's own folder (hidden, never among
 * the tiles or checkpoints a reader lists): a name never holds a partial file.
 */
let temporaries = 0;
function writeReplacing(dir: string, path: string, bytes: Uint8Array, synced: Set<string>): void {
  const full = join(dir, path);
  const parent = dirname(full);
  if (!existsSync(parent)) {
    mkdirSync(parent, { recursive: true });
    // Each folder made must be on the disk too: the parents of the ones made are synced.
    for (let d = parent; d !== dir && !synced.has(dirname(d)); d = dirname(d))
      synced.add(dirname(d));
  }
  const tmp = join(dir, `.tmp-${process.pid}-${temporaries++}`);
  rmSync(tmp, { force: true });
  writeFileDurably(tmp, bytes);
  renameSync(tmp, full);
  synced.add(parent);
  synced.add(dir);
}

export interface LogStore {
  dir: string;
  /** Finds or plans `entry` (taking the lock): its index, its proof, whether it is new. */
  enter(
    entry: Uint8Array,
    published?: Uint8Array,
  ): { index: number; proof: Uint8Array; appended: boolean };
  /** Writes a planned append: tiles, checkpoints/<size>, then checkpoint (the commit). */
  commit(): void;
  release(): void;
}

/** The log kept in `dir`, extended with `id`'s key. */
export function openLog(dir: string, id: LogIdentity, say: Say): LogStore {
  let lock: Lock | undefined;
  let plan: Append | undefined;
  return {
    dir,
    enter(entry, published) {
      if (!lock)
        try {
          mkdirSync(dirname(dir), { recursive: true });
          lock = acquireLock(join(dirname(dir), `.${basename(dir)}.lock`), say);
        } catch (e) {
          if (e instanceof DocprovError) throw e;
          throw fileError(e, 'write', dir);
        }
      const log = recoverLog(dir, id.signer, say);
      if (log.size > 0 && log.origin !== id.signer.name)
        throw logError(
          'log-origin-mismatch',
          `the transparency log in ${dir} is "${log.origin}", not "${id.signer.name}"`,
          'give the log its own name (--log-origin), or another --log folder',
        );
      const found = findEntry(log, entry);
      if (found !== undefined) {
        // A published proof of the same entry stays as it is (its checkpoint is in the history).
        const inc = published
          ? checkInclusion(nodeCrypto, published, entry, [id.signer])
          : undefined;
        const kept =
          published &&
          inc?.ok &&
          inc.index === found &&
          sameBytes(
            logReader(dir)(historyPath(inc.checkpoint.size)) ?? new Uint8Array(0),
            (parseTlogProof(published) as { checkpoint: Uint8Array }).checkpoint,
          );
        return {
          index: found,
          proof: kept ? published : proveEntry(nodeCrypto, log, found),
          appended: false,
        };
      }
      plan = planAppend(nodeCrypto, log, entry, id.signer);
      return {
        index: plan.index,
        proof: proveEntry(nodeCrypto, plan.log, plan.index),
        appended: true,
      };
    },
    commit() {
      if (!plan) return;
      try {
        write(plan);
      } catch (e) {
        if (e instanceof DocprovError) throw e;
        throw fileError(e, 'write', dir);
      }
      plan = undefined;
    },
    release() {
      lock?.release();
      lock = undefined;
    },
  };
  function write(plan: Append): void {
    const synced = new Set<string>();
    const made = !existsSync(dir);
    mkdirSync(dir, { recursive: true });
    if (made) syncFolder(dirname(dir));
    const read = logReader(dir);
    for (const [path, bytes] of plan.tiles) {
      const stored = read(path);
      if (!stored || !sameBytes(stored, bytes)) writeReplacing(dir, path, bytes, synced);
    }
    for (const d of synced) syncFolder(d);
    // The commit point: until this rename the log is the old one, whole. The checkpoint is kept
    // in the history only after it: no signed checkpoint is ever left on disk uncommitted.
    writeReplacing(dir, 'checkpoint', plan.checkpoint, new Set());
    syncFolder(dir);
    keepInHistory(dir, plan.log.size, plan.checkpoint);
  }
}
