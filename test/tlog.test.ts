import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  consistencyProof,
  inclusionProof,
  leafHash,
  rootOf,
  verifyConsistency,
  verifyInclusion,
} from '../src/core/tlog/merkle.js';
import { openNote, parseVerifierKey, signNote } from '../src/core/tlog/note.js';
import { tileIndexPath, tilePath } from '../src/core/tlog/tiles.js';
import { nodeCrypto } from '../src/node/crypto.js';
import { loadLogKey } from '../src/node/log-key.js';
import { openLog, recoverLog } from '../src/node/transparency-log.js';
import { docprov } from './helpers/cli.js';
import { pkiDir } from './helpers/pki.js';
import { judge } from './tlog/go-checker.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'docprov-tlog-'));
const ORIGIN = 'test.docprov.example/log';
const key = (name = 'log') =>
  loadLogKey(ORIGIN, { DOCPROV_LOG_KEY: join(pkiDir(), `${name}.key`) });
const flip = (path: string, at: (b: Buffer) => number) => {
  const b = readFileSync(path);
  const i = at(b);
  b[i] = b[i]! ^ 1;
  writeFileSync(path, b);
};

/** A log of `n` entries made by docprov's store, one append at a time; checkpoints kept by size. */
function makeLog(dir: string, n: number, entry = (i: number) => `entry ${i}\n`) {
  const id = key();
  const log = openLog(dir, id, () => {});
  try {
    for (let i = 0; i < n; i++) {
      const r = log.enter(new TextEncoder().encode(entry(i)));
      expect(r).toMatchObject({ index: i, appended: true });
      log.commit();
    }
  } finally {
    log.release();
  }
  return id;
}

describe('RFC 9162 Merkle proofs', () => {
  const leaves = Array.from({ length: 40 }, (_, i) => leafHash(nodeCrypto, new Uint8Array([i])));
  it('every inclusion proof in trees of 1 to 40 leaves verifies, and a changed one does not', () => {
    for (let n = 1; n <= 40; n++) {
      const root = rootOf(nodeCrypto, leaves, 0, n);
      for (let i = 0; i < n; i++) {
        const p = inclusionProof(nodeCrypto, leaves, i, n);
        expect(verifyInclusion(nodeCrypto, i, n, leaves[i]!, p, root)).toBe(true);
        expect(verifyInclusion(nodeCrypto, i, n, leaves[(i + 1) % 40]!, p, root)).toBe(
          n === 1 && false,
        );
        if (p.length) {
          const bad = p.map((h) => h.slice());
          bad[0]![0]! ^= 1;
          expect(verifyInclusion(nodeCrypto, i, n, leaves[i]!, bad, root)).toBe(false);
        }
        expect(verifyInclusion(nodeCrypto, i + 1, n, leaves[i]!, p, root)).toBe(false);
      }
    }
  });
  it('every consistency proof between trees of 1 to 40 leaves verifies, and a changed one does not', () => {
    for (let n = 1; n <= 40; n++)
      for (let m = 1; m <= n; m++) {
        const p = consistencyProof(nodeCrypto, leaves, m, n);
        const [a, b] = [rootOf(nodeCrypto, leaves, 0, m), rootOf(nodeCrypto, leaves, 0, n)];
        expect(verifyConsistency(nodeCrypto, m, n, a, b, p), `${m} ${n}`).toBe(true);
        if (m < n) {
          expect(verifyConsistency(nodeCrypto, m, n, b, b, p)).toBe(false);
          const other = rootOf(
            nodeCrypto,
            [...leaves.slice(0, m - 1), leaves[39]!, ...leaves.slice(m)],
            0,
            n,
          );
          expect(verifyConsistency(nodeCrypto, m, n, a, other, p)).toBe(false);
        }
      }
  });
  it("tile paths are C2SP's (and Go's without the height)", () => {
    expect(tileIndexPath(1234067)).toBe('x001/x234/067');
    expect(tilePath(0, 0, 256)).toBe('tile/0/000');
    expect(tilePath(1, 1000, 5)).toBe('tile/1/x001/000.p/5');
    expect(tilePath('entries', 3, 17)).toBe('tile/entries/003.p/17');
  });
  it('signed notes: a vkey round-trips, and a note signed by another key or changed is refused', () => {
    const id = key();
    const k = parseVerifierKey(nodeCrypto, id.vkey)!;
    expect(k.name).toBe(ORIGIN);
    const note = new TextEncoder().encode(signNote(nodeCrypto, 'hello\n', id.signer));
    expect(openNote(nodeCrypto, note, [k])).toMatchObject({ ok: true, text: 'hello\n' });
    expect(
      openNote(nodeCrypto, note, [parseVerifierKey(nodeCrypto, key('other-log').vkey)!]),
    ).toMatchObject({ ok: false, unsigned: true });
    const changed = note.slice();
    changed[0] = 'j'.charCodeAt(0);
    expect(openNote(nodeCrypto, changed, [k])).toMatchObject({ ok: false });
    expect(
      parseVerifierKey(nodeCrypto, id.vkey.replace(/\+[0-9a-f]{8}\+/, '+00000000+')),
    ).toBeUndefined();
  });
});

describe("docprov's tiled log, judged by Go's sumdb/tlog and sumdb/note", () => {
  let dir: string;
  let vkey: string;
  const kept = new Map<number, string>();
  beforeAll(() => {
    dir = join(tmp(), 'log');
    // 260 entries: a full tile of 256 at level 0 and partial tiles at levels 0 and 1.
    vkey = makeLog(dir, 260).vkey;
    for (const n of [1, 10, 255, 256, 257, 260]) kept.set(n, join(dir, 'checkpoints', String(n)));
  }, 120_000);

  it('Go verifies the checkpoint signature, rebuilds the root from the tiles, every entry and every kept checkpoint', () => {
    const r = judge('log', vkey, dir);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(
      /^ok test\.docprov\.example\/log size 260 root \S+ entries 260 consistent \[1 2 3 /,
    );
    expect(existsSync(join(dir, 'tile', '0', '000'))).toBe(true);
    expect(existsSync(join(dir, 'tile', '1', '000.p', '1'))).toBe(true);
    expect(readdirSync(join(dir, 'checkpoints'))).toHaveLength(260);
    const show = docprov(['log', 'show', dir, '--key', vkey]);
    expect(show.code, show.stdout).toBe(0);
    expect(show.stdout).toContain(`log "${ORIGIN}": 260 entries`);
  });

  it('the consistency proofs docprov writes are accepted by Go, and by docprov log verify', () => {
    for (const [m, n] of [
      [1, 260],
      [10, 257],
      [255, 256],
      [256, 260],
      [257, 260],
    ] as const) {
      const p = docprov(['log', 'prove', kept.get(m)!, kept.get(n)!, '--key', vkey]);
      expect(p.code, p.stderr).toBe(0);
      const file = join(tmp(), 'proof');
      writeFileSync(file, p.stdout);
      const go = judge('consistency', vkey, kept.get(m)!, kept.get(n)!, file);
      expect(go.code, go.out).toBe(0);
      expect(go.out).toBe(`ok ${m} is a prefix of ${n}\n`);
      const v = docprov(['log', 'verify', kept.get(m)!, kept.get(n)!, '--key', vkey]);
      expect(v.code, v.stdout + v.stderr).toBe(0);
      expect(v.stdout).toContain(`✓ consistent: the log "${ORIGIN}" of ${m} entries`);
      const ownProof = docprov([
        'log',
        'verify',
        kept.get(m)!,
        kept.get(n)!,
        '--key',
        vkey,
        '--proof',
        file,
      ]);
      expect(ownProof.code).toBe(0);
      // A changed hash: both refuse.
      const lines = p.stdout.split('\n');
      lines[0] = (lines[0]![0] === 'A' ? 'B' : 'A') + lines[0]!.slice(1);
      writeFileSync(file, lines.join('\n'));
      expect(judge('consistency', vkey, kept.get(m)!, kept.get(n)!, file).code).toBe(1);
      const bad = docprov([
        'log',
        'verify',
        kept.get(m)!,
        kept.get(n)!,
        '--key',
        vkey,
        '--proof',
        file,
      ]);
      expect(bad.code).toBe(1);
      expect(bad.stdout).toContain('✗ NOT consistent');
    }
  });

  it('a changed tile or checkpoint is refused by Go and by docprov', () => {
    const cases: [string, string, (b: Buffer) => number][] = [
      ['a level-0 tile', join('tile', '0', '000'), () => 100],
      ['a level-1 tile', join('tile', '1', '000.p', '1'), () => 5],
      ['an entry bundle', join('tile', 'entries', '001.p', '4'), (b: Buffer) => b.length - 1],
      ['the checkpoint', 'checkpoint', (b: Buffer) => b.indexOf('\n', b.indexOf('\n') + 1) + 3],
    ];
    for (const [what, path, at] of cases) {
      const copy = join(tmp(), 'log');
      cpSync(dir, copy, { recursive: true });
      flip(join(copy, path), at);
      expect(judge('log', vkey, copy).code, what).toBe(1);
      const show = docprov(['log', 'show', copy, '--key', vkey]);
      expect(show.code, `${what}: ${show.stdout}`).toBe(1);
    }
  });

  it('a log rewritten at entry 5 is not consistent with an older checkpoint: docprov and Go both say so', () => {
    const fork = join(tmp(), 'log');
    makeLog(fork, 12, (i) => (i === 5 ? 'rewritten\n' : `entry ${i}\n`));
    const old = kept.get(10)!;
    const forged = join(fork, 'checkpoint');
    const v = docprov(['log', 'verify', old, forged, '--key', vkey]);
    expect(v.code).toBe(1);
    expect(v.stdout).toMatch(/NOT consistent: .*the log was rewritten/);
    const p = docprov(['log', 'prove', old, forged, '--key', vkey]);
    const file = join(tmp(), 'proof');
    writeFileSync(file, p.stdout);
    expect(judge('consistency', vkey, old, forged, file).code).toBe(1);
    // And a checkpoint by another key is no checkpoint of this log.
    const other = join(tmp(), 'log');
    const id = loadLogKey(ORIGIN, { DOCPROV_LOG_KEY: join(pkiDir(), 'other-log.key') });
    const s = openLog(other, id, () => {});
    s.enter(new TextEncoder().encode('x\n'));
    s.commit();
    s.release();
    expect(judge('checkpoint', vkey, join(other, 'checkpoint')).code).toBe(1);
    expect(docprov(['log', 'verify', old, join(other, 'checkpoint'), '--key', vkey]).code).toBe(1);
  });

  it('the same entry again is found, not appended; an interrupted append is removed by the next run', () => {
    const d = join(tmp(), 'log');
    makeLog(d, 3);
    const id = key();
    const before = readFileSync(join(d, 'checkpoint'));
    const log = openLog(d, id, () => {});
    expect(log.enter(new TextEncoder().encode('entry 1\n'))).toMatchObject({
      index: 1,
      appended: false,
    });
    log.commit();
    log.release();
    expect(readFileSync(join(d, 'checkpoint')).equals(before)).toBe(true);
    // What a kill before the commit leaves: the new size's tiles and history, no new checkpoint.
    const interrupted = openLog(d, id, () => {});
    interrupted.enter(new TextEncoder().encode('entry 3\n'));
    const plan = interrupted as unknown as { commit(): void };
    const copy = join(tmp(), 'log');
    cpSync(d, copy, { recursive: true });
    plan.commit();
    interrupted.release();
    for (const p of ['tile/0/000.p/4', 'tile/entries/000.p/4', 'checkpoints/4'])
      cpSync(join(d, p), join(copy, p));
    const said: string[] = [];
    const log2 = recoverLog(copy, parseVerifierKey(nodeCrypto, id.vkey)!, (m) => said.push(m));
    expect(log2.size).toBe(3);
    expect(said.join('\n')).toMatch(/removed 3 file\(s\) an interrupted append left/);
    expect(existsSync(join(copy, 'checkpoints', '4'))).toBe(false);
    expect(judge('log', id.vkey, copy).code).toBe(0);
    // A checkpoint rolled back under a longer history is refused, not "recovered".
    cpSync(join(d, 'checkpoints', '2'), join(d, 'checkpoint'));
    expect(() => recoverLog(d, parseVerifierKey(nodeCrypto, id.vkey)!, () => {})).toThrow(
      /newer than its checkpoint/,
    );
  });
});

describe('docprov log: plain errors', () => {
  it('a checkpoint of a log docprov pins no key for asks for --key, exit 2', () => {
    const d = join(tmp(), 'log');
    makeLog(d, 1);
    const r = docprov(['log', 'verify', join(d, 'checkpoint'), join(d, 'checkpoint')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('docprov pins no key for it');
    expect(r.stderr).toContain('docprov: hint: give the log');
  });
});
