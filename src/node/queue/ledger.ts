import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  truncateSync,
  writeSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { acquireLock } from '../lock.js';
import type { LedgerEntryData } from './jobs.js';

// The queue's record of what it published, in order: OUT/ledger.jsonl, one JSON line a
// publication, numbered from 0. Appending reads the record and writes the next index, so two
// writers at once would number two lines alike: the queue lets one append at a time (serial.ts),
// as issue 20's transparency log needs for its tree. Crash-safe and idempotent: a line cut short
// by a crash is dropped, and a publication already recorded (a retried job) is not added again.

export const LEDGER = 'ledger.jsonl';

export interface LedgerEntry extends LedgerEntryData {
  index: number;
  at: string;
  by: string;
}

export function readLedger(out: string): LedgerEntry[] {
  const path = join(out, LEDGER);
  if (!existsSync(path)) return [];
  const text = readFileSync(path, 'utf8');
  const whole = text.slice(0, text.lastIndexOf('\n') + 1);
  return whole
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as LedgerEntry);
}

/** Appends the publication unless it is recorded; returns its entry. */
export function appendLedger(out: string, data: LedgerEntryData): LedgerEntry {
  const path = join(out, LEDGER);
  // The queue keeps appends one at a time; the lock also keeps out a writer whose job the queue
  // gave up on (it stalled past its lock) but that still runs.
  const lock = acquireLock(join(out, `.${LEDGER}.lock`), () => {});
  try {
    const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
    const end = text.lastIndexOf('\n') + 1;
    if (end < text.length) truncateSync(path, end); // a line a crash cut short
    const entries = readLedger(out);
    const known = entries.find((e) => e.name === data.name && e.digest === data.digest);
    if (known) return known;
    const entry: LedgerEntry = {
      index: entries.length,
      ...data,
      at: new Date().toISOString(),
      by: `${hostname()}:${process.pid}`,
    };
    const fd = openSync(path, 'a', 0o644);
    try {
      writeSync(fd, JSON.stringify(entry) + '\n');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    return entry;
  } finally {
    lock.release();
  }
}
