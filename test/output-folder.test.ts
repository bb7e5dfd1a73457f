import { spawn, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECK_OK, publishedCheckLine } from './helpers/published.js';
import { docprov, hasStackTrace } from './helpers/cli.js';
import { LETTER_DIR, ROOT, SOURCES } from './helpers/paths.js';
import { signerEnv } from './helpers/pki.js';

// Issue 11, items 1 and 2: `build -o` replaces only what docprov made, takes turns through a
// lock that names its owner, and finishes what an interrupted run left.

const ID = 'khalaf-2017-03-17';
const tmp = () => mkdtempSync(join(tmpdir(), 'docprov-output-'));
const env = () => ({ ...signerEnv('signer'), SOURCE_DATE_EPOCH: '1795000000' });
const build = (out: string) => docprov(['build', LETTER_DIR, '-o', out], { env: env() });
const snapshot = (dir: string) =>
  Object.fromEntries(readdirSync(dir).map((n) => [n, readFileSync(join(dir, n), 'base64')]));

describe('build -o never loses a file it did not make', () => {
  it('a folder holding other files is refused, exit 2, naming it; the files stay', () => {
    const out = join(tmp(), 'thesis');
    mkdirSync(out);
    writeFileSync(join(out, 'thesis.txt'), 'four years of work');
    const r = build(out);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `docprov: error: will not replace ${out}: it holds files docprov did not make (thesis.txt)`,
    );
    expect(r.stderr).toContain('docprov: hint: give -o a new folder, an empty one');
    expect(hasStackTrace(r.stderr)).toBe(false);
    expect(snapshot(out)).toEqual({
      'thesis.txt': Buffer.from('four years of work').toString('base64'),
    });
    expect(readdirSync(join(out, '..'))).toEqual(['thesis']);
  });
  it('a regular file is refused, and stays as it was', () => {
    const out = join(tmp(), 'notes');
    writeFileSync(out, 'my notes');
    const r = build(out);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `docprov: error: will not replace ${out}: it is a file, not a folder`,
    );
    expect(readFileSync(out, 'utf8')).toBe('my notes');
  });
  it('a symbolic link is refused', () => {
    const dir = tmp();
    mkdirSync(join(dir, 'real'));
    symlinkSync(join(dir, 'real'), join(dir, 'link'));
    const r = build(join(dir, 'link'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('it is a symbolic link');
    expect(readdirSync(join(dir, 'real'))).toEqual([]);
  });
  it('a folder docprov built, with a file added, is refused', () => {
    const out = join(tmp(), 'out');
    expect(build(out).code).toBe(0);
    writeFileSync(join(out, 'review-notes.txt'), 'keep');
    const r = build(out);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('review-notes.txt');
    expect(readFileSync(join(out, 'review-notes.txt'), 'utf8')).toBe('keep');
  });
  it('an empty folder, a new path and a folder docprov built are written', () => {
    const dir = tmp();
    mkdirSync(join(dir, 'empty'));
    expect(build(join(dir, 'empty')).code).toBe(0);
    expect(build(join(dir, 'new', 'deeper')).code).toBe(0);
    const first = snapshot(join(dir, 'empty'));
    expect(Object.keys(first)).toHaveLength(9);
    expect(build(join(dir, 'empty')).code).toBe(0);
    expect(snapshot(join(dir, 'empty'))).toEqual(first);
    expect(readdirSync(dir).sort()).toEqual(['empty', 'log', 'new']);
  });
});

/** A lock as another run writes it: `.NAME.lock/owner.json`. */
function lockFor(out: string, pid: number): string {
  const lock = join(out, '..', `.${out.split('/').pop()}.lock`);
  mkdirSync(lock);
  writeFileSync(
    join(lock, 'owner.json'),
    JSON.stringify({ pid, host: hostname(), started: '2026-01-01T00:00:00.000Z' }),
  );
  return lock;
}

describe('the lock beside a published folder', () => {
  it("a dead owner's lock is taken over at once, with a message naming it", () => {
    const out = join(tmp(), 'out');
    const gone = spawnSync('true').pid!;
    const lock = lockFor(out, gone);
    const t0 = Date.now();
    const r = build(out);
    expect(r.code, r.stderr).toBe(0);
    expect(Date.now() - t0).toBeLessThan(20_000);
    expect(r.stderr).toContain(
      `docprov: took over the lock ${lock} from pid ${gone} on ${hostname()}, started 2026-01-01T00:00:00.000Z, which is no longer running`,
    );
    expect(readdirSync(join(out, '..')).sort()).toEqual(['log', 'out']);
  });
  it('a lock without a readable owner is taken over, and said', () => {
    const out = join(tmp(), 'out');
    const lock = join(out, '..', '.out.lock');
    mkdirSync(lock);
    writeFileSync(join(lock, 'owner.json'), '{"pid": ');
    const r = build(out);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`docprov: took over the lock ${lock}, which names no owner`);
    expect(readdirSync(join(out, '..')).sort()).toEqual(['log', 'out']);
  });
  it('a live owner is waited for, and the wait is said once', async () => {
    const out = join(tmp(), 'out');
    // The owner lives until the build says it waits: then it ends, however slow the machine.
    const owner = spawn('sleep', ['600']);
    const lock = lockFor(out, owner.pid!);
    const run = spawn(
      process.execPath,
      [join(ROOT, 'bin', 'docprov.cjs'), 'build', LETTER_DIR, '-o', out],
      {
        env: { ...process.env, ...env() },
      },
    );
    let stderr = '';
    run.stderr.on('data', (d) => {
      stderr += d;
      if (stderr.includes('docprov: waiting for pid')) owner.kill();
    });
    const code = await new Promise<number | null>((resolve) => run.on('exit', resolve));
    owner.kill();
    expect(code, stderr).toBe(0);
    const waits = stderr.match(/docprov: waiting for pid \d+ on .* to finish \(it holds .*\)\n/g);
    expect(waits).toEqual([
      `docprov: waiting for pid ${owner.pid} on ${hostname()}, started 2026-01-01T00:00:00.000Z to finish (it holds ${lock})\n`,
    ]);
    expect(readdirSync(join(out, '..')).sort()).toEqual(['log', 'out']);
  });
});

describe('check finishes what an interrupted publish left, and never takes it for an artifact', () => {
  it('an older docprov crashed between its renames: the old folder is put back, its lock and the rest removed', () => {
    const artifacts = join(tmp(), 'artifacts');
    mkdirSync(artifacts);
    cpSync(join(ROOT, 'artifacts', ID), join(artifacts, `.${ID}.tmp-AbC123.old`), {
      recursive: true,
    });
    mkdirSync(join(artifacts, `.${ID}.tmp-AbC123`));
    mkdirSync(join(artifacts, `${ID}.lock`)); // the older docprov's lock, which check listed
    writeFileSync(join(artifacts, `.${ID}.tmp-AbC123`, `${ID}.pdf`), 'half');
    cpSync(join(ROOT, 'artifacts', 'verify.html'), join(artifacts, 'verify.html'));
    cpSync(join(ROOT, 'artifacts', 'log'), join(artifacts, 'log'), { recursive: true });
    const r = docprov(['check', artifacts, '--sources', SOURCES, '--allow-pending-revocation']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stderr).toContain(
      `docprov: restored ${join(artifacts, ID)} from .${ID}.tmp-AbC123.old, left by an older docprov: it is the old folder`,
    );
    expect(r.stderr).toContain(`docprov: removed .${ID}.tmp-AbC123, an unfinished folder`);
    expect(r.stderr).toContain(
      `docprov: removed ${ID}.lock, an empty lock folder an older docprov left`,
    );
    const lines = r.stdout.split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(
      /^✓ log: \d+ entries in "demo-publisher.docprov.example\/log"; its tiles rebuild its checkpoint/,
    );
    expect(lines[1]).toMatch(
      publishedCheckLine(
        ID,
        'C=LB, O=docprov Demo Publisher, CN=docprov Demo Publisher Release Signing 2026',
      ),
    );
    expect(lines[2]).toBe('✓ verify.html: the page npm run build makes from these sources');
    expect(lines[3]).toMatch(CHECK_OK);
    expect(readdirSync(artifacts).sort()).toEqual([ID, 'log', 'verify.html']);
    expect(snapshot(join(artifacts, ID))).toEqual(snapshot(join(ROOT, 'artifacts', ID)));
    expect(existsSync(join(artifacts, `.${ID}.lock`))).toBe(false);
  });
});
