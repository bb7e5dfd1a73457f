import {
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  rmdirSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { DocprovError } from '../core/errors.js';

// A lock beside a published folder, so that concurrent runs take turns. It is a folder holding
// owner.json (pid, host, start), prepared under a unique name and renamed into place: rename
// cannot replace a non-empty folder, so exactly one run wins, and a lock never lacks its owner.
// A dead owner's lock (same host, process gone or its pid reused) is taken over at once.

export interface LockOwner {
  pid: number;
  host: string;
  started: string;
  /** Linux: the boot and the process's start tick, so a reused pid or a reboot is no owner. */
  boot?: string;
  tick?: string;
}

export interface Lock {
  release(): void;
}

const LOCK_WAIT_MS = 120_000;
const POLL_MS = 50;

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** State and start tick of a process from /proc (Linux), or undefined elsewhere. */
function procStat(pid: number): { state: string; tick: string } | undefined {
  const stat = read(`/proc/${pid}/stat`);
  // The command name in parentheses may hold spaces: fields are counted after the last ')'.
  const fields = stat?.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields && fields.length > 19 ? { state: fields[0]!, tick: fields[19]! } : undefined;
}

const BOOT = read('/proc/sys/kernel/random/boot_id')?.trim();

function me(): LockOwner {
  const tick = procStat(process.pid)?.tick;
  return {
    pid: process.pid,
    host: hostname(),
    started: new Date(Date.now() - process.uptime() * 1000).toISOString(),
    ...(BOOT ? { boot: BOOT } : {}),
    ...(tick ? { tick } : {}),
  };
}

/** Whether the owner of a lock still runs: only a process on this host can be checked. */
export function ownerState(
  o: Pick<LockOwner, 'pid' | 'host' | 'boot' | 'tick'>,
): 'alive' | 'dead' | 'unknown' {
  if (o.host !== hostname()) return 'unknown';
  if (o.boot && BOOT && o.boot !== BOOT) return 'dead';
  try {
    process.kill(o.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return 'dead';
  }
  const stat = procStat(o.pid);
  if (stat && (stat.state === 'Z' || stat.state === 'X')) return 'dead';
  if (stat && o.tick && stat.tick !== o.tick) return 'dead';
  return 'alive';
}

export const describeOwner = (o: LockOwner) => `pid ${o.pid} on ${o.host}, started ${o.started}`;

/**
 * The lock's owner, and owner.json as read (to compare with later): undefined when there is no
 * lock, or an empty one (a released lock whose folder is not removed yet); 'unreadable' when it
 * holds no valid owner.json.
 */
function ownerOf(lock: string): { owner: LockOwner | 'unreadable'; text: string } | undefined {
  const text = read(join(lock, 'owner.json'));
  if (text === undefined) {
    try {
      return readdirSync(lock).length === 0 ? undefined : { owner: 'unreadable', text: '' };
    } catch {
      return undefined;
    }
  }
  try {
    const o = JSON.parse(text) as LockOwner;
    const valid = typeof o.pid === 'number' && typeof o.host === 'string';
    return { owner: valid ? o : 'unreadable', text };
  } catch {
    return { owner: 'unreadable', text };
  }
}

/** Prepares a lock holding `owner` and renames it into place; false if another run holds it. */
function tryTake(lock: string, owner: string): boolean {
  const staged = mkdtempSync(`${lock}-${process.pid}-`);
  try {
    writeFileSync(join(staged, 'owner.json'), owner);
    // rename replaces a missing or empty folder, never one holding an owner.
    renameSync(staged, lock);
    return true;
  } catch (e) {
    rmSync(staged, { recursive: true, force: true });
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOTEMPTY' || code === 'EEXIST') return false;
    throw e;
  }
}

/** Moves a dead owner's lock aside; if another run replaced it meanwhile, puts that one back. */
function takeOver(lock: string, dead: string): boolean {
  const grave = `${lock}-${process.pid}-dead`;
  try {
    renameSync(lock, grave);
  } catch {
    return false; // another run took it over first
  }
  if ((read(join(grave, 'owner.json')) ?? '') !== dead) {
    try {
      renameSync(grave, lock);
    } catch {
      // a third run holds the lock now; the one moved aside is removed with the leftovers
    }
    return false;
  }
  rmSync(grave, { recursive: true, force: true });
  return true;
}

/** Removes lock folders that runs now dead were preparing or moving aside. */
function removeStaleStaging(lock: string, say: (message: string) => void): void {
  const prefix = `${basename(lock)}-`;
  for (const name of readdirSync(dirname(lock))) {
    const pid = Number(/^(\d+)-/.exec(name.slice(prefix.length))?.[1]);
    if (!name.startsWith(prefix) || !pid || pid === process.pid) continue;
    if (ownerState({ pid, host: hostname() }) !== 'dead') continue;
    rmSync(join(dirname(lock), name), { recursive: true, force: true });
    say(`removed ${name}, a lock folder that an interrupted run (pid ${pid}) left`);
  }
}

/**
 * Takes the lock folder `lock`, waiting for a live owner (said once on stderr through `say`),
 * taking over a dead one's (said too). Gives up after two minutes with an error naming the owner.
 */
export function acquireLock(lock: string, say: (message: string) => void): Lock {
  const owner = JSON.stringify(me());
  const deadline = Date.now() + LOCK_WAIT_MS;
  let waiting = false;
  let polls = 0;
  for (;;) {
    const seen = ownerOf(lock);
    if (seen === undefined) {
      if (tryTake(lock, owner)) break;
      continue; // another run was quicker: look at its lock
    }
    const holder = seen.owner;
    const state = holder === 'unreadable' ? 'dead' : ownerState(holder);
    if (state === 'dead') {
      // Compared with what was judged dead: a lock another run took meanwhile is left alone.
      if (takeOver(lock, seen.text))
        say(
          holder === 'unreadable'
            ? `took over the lock ${lock}, which names no owner`
            : `took over the lock ${lock} from ${describeOwner(holder)}, which is no longer running`,
        );
      continue;
    }
    const who = describeOwner(holder as LockOwner);
    // Another thread of this very process (the pool's) takes short turns: not worth a word.
    const ours =
      (holder as LockOwner).pid === process.pid && (holder as LockOwner).host === hostname();
    if (!waiting && !ours) say(`waiting for ${who} to finish (it holds ${lock})`);
    waiting = true;
    if (Date.now() > deadline)
      throw new DocprovError('locked', `another docprov run holds ${lock}: ${who}`, {
        severity: 'unusable',
        hint:
          state === 'unknown'
            ? `it runs on another host: wait for it, or remove ${lock} if that run is gone`
            : 'wait for it to finish, then run again',
      });
    // Short turns (the log's, between threads) end in milliseconds: look again soon, then less often.
    sleep(Math.min(POLL_MS, 2 ** polls++));
  }
  removeStaleStaging(lock, say);
  return {
    release() {
      // Only our own lock is removed: the unlink empties it, the rmdir removes it.
      if (read(join(lock, 'owner.json')) !== owner) return;
      unlinkSync(join(lock, 'owner.json'));
      try {
        rmdirSync(lock);
      } catch {
        // a waiting run renamed its lock onto our emptied one: it is theirs now
      }
    },
  };
}
