import {
  accessSync,
  chmodSync,
  constants,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmSync,
  rmdirSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { DocprovError } from '../core/errors.js';
import { syncFolder, writeFileDurably } from './durable.js';
import { fileError } from './files.js';
import { acquireLock } from './lock.js';

// Publishing a folder so that a crash at any instant (kill -9, power cut) leaves the old folder
// or the new one. Beside TARGET, under the lock .TARGET.lock:
//   .TARGET.tmp-XXXXXX   the new files being written and fsynced (unfinished: removed on recovery)
//   .TARGET.new          the new folder, complete: this rename is the commit point
//   .TARGET.old          the old folder, moved aside by the swap, then removed
// The swap and the recovery are one routine (finishSwap): whoever finds .TARGET.new finishes it.

export type Say = (message: string) => void;

const names = (target: string) => {
  const dest = resolve(target);
  const parent = dirname(dest);
  const name = basename(dest);
  return {
    dest,
    parent,
    name,
    lock: join(parent, `.${name}.lock`),
    fresh: join(parent, `.${name}.new`),
    old: join(parent, `.${name}.old`),
    inputs: join(parent, `.${name}.inputs`),
    tmpPrefix: `.${name}.tmp-`,
  };
};

/** A leftover of an interrupted publish beside a folder: `.NAME.lock`, `.NAME.new`, ... */
const LEFTOVER = /^\.(.+)\.(?:lock(?:-\d+-.+)?|new|old|tmp-[A-Za-z0-9]{6}(?:\.old)?)$/;

/** The folder names (in `parent`) whose publishing was interrupted and left something behind. */
export function interruptedTargets(parent: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(parent);
  } catch {
    return [];
  }
  // An older docprov's lock was NAME.lock; an empty .NAME.lock is today's, released mid-removal.
  const legacy = entries.filter(
    (n) => !n.startsWith('.') && n.endsWith('.lock') && isEmptyFolder(join(parent, n)),
  );
  return [
    ...new Set([
      ...entries.flatMap((n) => LEFTOVER.exec(n)?.[1] ?? []),
      ...legacy.map((n) => n.slice(0, -'.lock'.length)),
    ]),
  ].sort();
}

function isEmptyFolder(path: string): boolean {
  try {
    return readdirSync(path).length === 0;
  } catch {
    return false;
  }
}

/**
 * Completes whatever an interrupted run left (the caller holds the lock): a complete new folder
 * is published, an old one removed once its successor is in place, unfinished ones removed.
 * `say` tells what was done; the normal publish passes none, as nothing was interrupted.
 */
function finishSwap(target: string, say?: Say): void {
  const { dest, parent, name, fresh, old, tmpPrefix } = names(target);
  const tell = say ?? (() => {});
  const finishing = existsSync(fresh);
  if (finishing) {
    const wasThere = existsSync(dest);
    if (wasThere) {
      if (existsSync(old)) rmSync(old, { recursive: true, force: true });
      renameSync(dest, old);
    }
    renameSync(fresh, dest);
    syncFolder(parent);
    tell(
      wasThere
        ? `restored ${dest}: finished a publish interrupted before its swap; it is the new folder`
        : `restored ${dest}: it was missing, as a publish was interrupted mid-swap; finished the swap: it is the new folder`,
    );
  }
  if (existsSync(old)) {
    if (existsSync(dest)) {
      rmSync(old, { recursive: true, force: true });
      if (!finishing)
        tell(
          `removed .${name}.old, the old folder an interrupted publish left; ${dest} is the new folder`,
        );
    } else {
      renameSync(old, dest);
      tell(`restored ${dest}: put the old folder back from .${name}.old`);
    }
    syncFolder(parent);
  }
  // An older docprov locked with an empty NAME.lock beside the folder: `check` took it for one.
  if (isEmptyFolder(`${dest}.lock`)) {
    rmdirSync(`${dest}.lock`);
    tell(`removed ${name}.lock, an empty lock folder an older docprov left`);
  }
  for (const leftover of readdirSync(parent).filter((n) => n.startsWith(tmpPrefix))) {
    const path = join(parent, leftover);
    // An older docprov swapped through .NAME.tmp-XXXXXX.old: that is the old folder, complete.
    if (leftover.endsWith('.old') && !existsSync(dest)) {
      renameSync(path, dest);
      tell(`restored ${dest} from ${leftover}, left by an older docprov: it is the old folder`);
    } else {
      rmSync(path, { recursive: true, force: true });
      tell(`removed ${leftover}, an unfinished folder an interrupted run left beside ${dest}`);
    }
    syncFolder(parent);
  }
}

/** Runs `work` under the folder's lock, after finishing what an interrupted run left. */
function underLock<T>(target: string, say: Say, work: () => T): T {
  const { lock } = names(target);
  const held = acquireLock(lock, say);
  try {
    finishSwap(target, say);
    return work();
  } finally {
    held.release();
  }
}

/** Finishes the interrupted publishes of every folder in `parent` that has leftovers. */
export function recoverInterrupted(parent: string, say: Say): void {
  for (const name of interruptedTargets(parent))
    withFileErrors(join(parent, name), () => underLock(join(parent, name), say, () => {}));
}

/** Says why `names` are not the contents of a folder docprov may replace, or undefined. */
export type NotOurs = (names: string[]) => string | undefined;

/** A folder docprov may replace: missing, empty, or one that `notOurs` has nothing against. */
export function checkReplaceable(target: string, notOurs: NotOurs): void {
  const st = lstatSync(target, { throwIfNoEntry: false });
  if (!st) return;
  const refuse = (why: string) =>
    new DocprovError('output-not-replaceable', `will not replace ${target}: ${why}`, {
      severity: 'unusable',
      hint: 'give -o a new folder, an empty one, or one docprov built; docprov never deletes other files',
    });
  if (st.isSymbolicLink()) throw refuse('it is a symbolic link');
  if (!st.isDirectory()) throw refuse('it is a file, not a folder');
  // A folder made read-only was made so on purpose: the swap would replace it regardless.
  let writable = (st.mode & 0o200) !== 0; // root may write anywhere: the mode says the intent
  try {
    accessSync(target, constants.W_OK);
  } catch {
    writable = false;
  }
  if (!writable)
    throw new DocprovError(
      'output-read-only',
      `will not replace ${target}: it is read-only (no write permission)`,
      {
        severity: 'unusable',
        hint: `make it writable (chmod u+w ${target}) if it may be replaced, or give -o another folder`,
      },
    );
  const entries = readdirSync(target);
  const why = entries.length > 0 ? notOurs(entries) : undefined;
  if (why) throw refuse(why);
}

/** File-system failures in a publish said plainly, naming the folder. */
function withFileErrors<T>(target: string, work: () => T): T {
  try {
    return work();
  } catch (e) {
    if (e instanceof DocprovError) throw e;
    throw fileError(e, 'write', target);
  }
}

export interface PublishOptions {
  /**
   * A record written beside the folder as `.NAME.inputs` (src/node/inputs.ts), before the commit
   * rename: it names the new folder's manifest, so until the swap it describes no folder there.
   */
  stamp?: string;
  /** Under the lock: true when the folder already holds this build (another worker's), so it stays. */
  current?: () => boolean;
}

/**
 * Writes a whole folder or nothing, replacing `target` only if it is missing, empty, or one
 * `notOurs` has nothing against (a folder docprov built). Every file and the new folder are
 * fsynced before the commit rename, and the parent after each rename the swap relies on.
 * Returns 'current' when `options.current` found the build already published, and wrote nothing.
 */
export function writeFolderAtomically(
  target: string,
  files: ReadonlyMap<string, Uint8Array | string>,
  notOurs: NotOurs,
  say: Say,
  options: PublishOptions = {},
): 'written' | 'current' {
  const { dest, parent, fresh, tmpPrefix, inputs } = names(target);
  return withFileErrors(dest, () => {
    mkdirSync(parent, { recursive: true });
    return underLock(dest, say, () => {
      if (options.current?.()) return 'current';
      checkReplaceable(dest, notOurs);
      const tmp = mkdtempSync(join(parent, tmpPrefix));
      try {
        chmodSync(tmp, 0o755); // mkdtemp makes 0700; published folders are world-readable
        for (const [name, data] of files) writeFileDurably(join(tmp, name), data);
        syncFolder(tmp);
        if (options.stamp !== undefined) replaceFileDurably(inputs, options.stamp);
        renameSync(tmp, fresh);
      } catch (e) {
        rmSync(tmp, { recursive: true, force: true });
        throw e;
      }
      syncFolder(parent);
      finishSwap(dest);
      return 'written';
    });
  });
}

/** Replaces a small file whole (the caller holds the lock): a temporary sibling, fsynced, renamed. */
function replaceFileDurably(path: string, data: string): void {
  const tmp = `${path}.tmp`;
  rmSync(tmp, { force: true }); // an interrupted run's
  writeFileDurably(tmp, data);
  renameSync(tmp, path);
}

/** Before a build: finish an interrupted publish of `target`, and refuse a folder not ours. */
export function prepareFolder(target: string, notOurs: NotOurs, say: Say): void {
  const { dest, parent, name } = names(target);
  withFileErrors(dest, () => {
    if (interruptedTargets(parent).includes(name)) underLock(dest, say, () => {});
    checkReplaceable(dest, notOurs);
  });
}
