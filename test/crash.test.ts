import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script, also run by hand
import { startTsa } from '../pipeline/tsa-server.mjs';
import { pkiDir, signerEnv } from './helpers/pki.js';
import { projectCopy } from './helpers/project.js';
import { judge } from './tlog/go-checker.js';
import { loadLogKey } from '../src/node/log-key.js';

// Issue 11, item 1: the publishing build (what `npm run regenerate` runs for each document)
// killed (SIGKILL) at each file-system step it takes in artifacts/, deterministically: strace
// stops the writer on entering its Nth call of a syscall, for every N until a run completes.
// After each crash the published folder is the old one or the new one (or the next run restores
// one at once and says so), and the next run leaves nothing. Only the writer's own main thread
// is traced (no -f): every docprov file-system step is a synchronous call there, so its count
// is the same in every run, whatever shells, timers or other processes do around it.

const ID = 'khalaf-2017-03-17';
// Every syscall that can create, rename or remove a name; those seen in artifacts/ are injected.
const MUTATING = [
  'rename',
  'renameat',
  'renameat2',
  'mkdir',
  'mkdirat',
  'rmdir',
  'unlink',
  'unlinkat',
  'link',
  'linkat',
];

let project: string;
let work: string;
let oldDir: string;
let newDir: string;

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Outcome> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    const p = spawn(cmd, args, {
      cwd: project,
      env: {
        ...process.env,
        ...signerEnv('signer'),
        // Timestamps from a TSA served by this process: strace traces the writer alone.
        DOCPROV_TSA_URL: tsa.url,
        DOCPROV_REVOCATION: join(pkiDir(), 'root-crl-later.pem'),
        NO_COLOR: '1',
        GITHUB_ACTIONS: '',
        ...env,
      },
    });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - t0 }));
  });
}

const regenerate = (artifacts: string, env: NodeJS.ProcessEnv = {}) =>
  run(process.execPath, ['pipeline/regenerate.mjs'], { DOCPROV_ARTIFACTS: artifacts, ...env });
/** The writer regenerate runs for the document, as it runs it: the one process traced. */
const build = (artifacts: string) => [
  process.execPath,
  'bin/docprov.cjs',
  'build',
  join('pipeline', 'sources', ID),
  '-o',
  join(artifacts, ID),
  '--release',
  '--reuse-timestamps',
  join(artifacts, ID),
  '--revocation',
  join(pkiDir(), 'root-crl-later.pem'),
];
const releaseEnv = () => ({
  SOURCE_DATE_EPOCH: String(
    JSON.parse(readFileSync(join(project, 'pipeline', 'release.json'), 'utf8')).sourceDateEpoch,
  ),
});
const check = (artifacts: string) =>
  run(process.execPath, ['bin/docprov.cjs', 'check', artifacts, '--sources', 'pipeline/sources']);

const bytes = (dir: string) =>
  existsSync(dir)
    ? Object.fromEntries(readdirSync(dir).map((n) => [n, readFileSync(join(dir, n), 'base64')]))
    : undefined;
let oldBytes: Record<string, string>;
let newBytes: Record<string, string>;
/**
 * Whether a folder is one whole run's output by the new signer: every file and no other is in
 * its SHA256SUMS with the digest it has, and the manifest names the new signer. Each run's fresh
 * timestamps make its bytes its own, so "new" is judged by wholeness, not by equal bytes.
 */
function isWholeNew(b: Record<string, string>): boolean {
  const sums = Buffer.from(b['SHA256SUMS'] ?? '', 'base64').toString('utf8');
  const listed = new Map(
    sums
      .split('\n')
      .filter(Boolean)
      .map((l) => [l.slice(66), l.slice(0, 64)]),
  );
  // The log proof comes after SHA256SUMS (it is checked against the log below).
  const names = Object.keys(b).filter(
    (n) => n !== 'SHA256SUMS' && n !== 'SHA256SUMS.p7s' && n !== 'manifest.json.tlog-proof',
  );
  const sha = (n: string) =>
    createHash('sha256').update(Buffer.from(b[n]!, 'base64')).digest('hex');
  const manifest = JSON.parse(Buffer.from(b['manifest.json'] ?? 'e30=', 'base64').toString('utf8'));
  return (
    Object.keys(b).sort().join() === Object.keys(newBytes).sort().join() &&
    names.length === listed.size &&
    names.every((n) => listed.get(n) === sha(n)) &&
    manifest.signer?.fingerprint === newSigner
  );
}
let newSigner: string;
let vkey: string;

/** Which published folder `dir` holds: the old, the new, none, or something else (a failure). */
function which(dir: string): 'old' | 'new' | 'missing' | 'other' {
  const b = bytes(dir);
  if (!b) return 'missing';
  if (JSON.stringify(b) === JSON.stringify(oldBytes)) return 'old';
  return isWholeNew(b) ? 'new' : 'other';
}

/** A fresh artifacts folder holding the old published folder and the current page. */
function withOld(name: string): string {
  const artifacts = join(work, name);
  mkdirSync(artifacts);
  cpSync(join(oldDir, ID), join(artifacts, ID), { recursive: true });
  cpSync(join(oldDir, 'log'), join(artifacts, 'log'), { recursive: true });
  cpSync(join(project, 'dist', 'verify.html'), join(artifacts, 'verify.html'));
  return artifacts;
}

/** Runs `jobs` two at a time (the CI machine has two cores). */
async function pool<T>(jobs: (() => Promise<T>)[], width = 2): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < jobs.length) {
        const i = next++;
        results[i] = await jobs[i]!();
      }
    }),
  );
  return results;
}

let trace: string[];
let calls: Map<string, number>;

let tsa: { url: string; close: () => Promise<void> };
afterAll(() => tsa?.close());

beforeAll(async () => {
  tsa = await startTsa({ key: join(pkiDir(), 'tsa.key'), cert: join(pkiDir(), 'tsa.pem') });
  if (spawnSync('strace', ['-V']).status !== 0)
    throw new Error('strace could not run (is it installed? .ci/run installs it)');
  project = projectCopy();
  work = join(project, 'crash');
  mkdirSync(work);
  oldDir = join(work, 'old');
  newDir = join(work, 'new');
  // Old and new differ by their signer: a swap that mixed them would show.
  const [o, n] = await Promise.all([
    regenerate(oldDir, signerEnv('rotated')),
    regenerate(newDir, signerEnv('signer')),
  ]);
  expect(o.code, o.stderr).toBe(0);
  expect(n.code, n.stderr).toBe(0);
  oldBytes = bytes(join(oldDir, ID))!;
  vkey = loadLogKey(
    JSON.parse(readFileSync(join(project, 'pipeline', 'release.json'), 'utf8')).log.origin,
    signerEnv('signer'),
  ).vkey;
  newBytes = bytes(join(newDir, ID))!;
  newSigner = JSON.parse(readFileSync(join(newDir, ID, 'manifest.json'), 'utf8')).signer
    .fingerprint;
  // One whole run, traced: which syscalls touch artifacts/, how often, and the fsync order.
  const traced = withOld('traced');
  const log = join(work, 'traced.strace');
  const r = await run(
    'strace',
    [
      '-y',
      '-o',
      log,
      '-e',
      `trace=${[...MUTATING, 'fsync', 'fdatasync'].join(',')}`,
      ...build(traced),
    ],
    releaseEnv(),
  );
  expect(r.code, r.stderr).toBe(0);
  const lines = readFileSync(log, 'utf8').split('\n');
  trace = lines.filter((l) => l.includes(traced));
  // Every call of a syscall that touches artifacts/ is counted, wherever it points: strace's
  // when=N counts them all in the one traced thread.
  const name = (l: string) => /^(\w+)\(/.exec(l)?.[1];
  const touching = new Set(trace.map(name).filter((n) => n && MUTATING.includes(n)));
  calls = new Map();
  for (const line of lines) {
    const n = name(line);
    if (n && touching.has(n)) calls.set(n, (calls.get(n) ?? 0) + 1);
  }
}, 120_000);

describe('the publishing build killed at every file-system step in artifacts/', () => {
  it('finds the syscalls that create, rename and remove names in artifacts/ (all are injected)', () => {
    const seen = [...calls.keys()];
    expect(
      seen.some((c) => c.startsWith('mkdir')),
      seen.join(),
    ).toBe(true);
    expect(
      seen.some((c) => c.startsWith('rename')),
      seen.join(),
    ).toBe(true);
    expect(
      seen.some((c) => c.startsWith('unlink')),
      seen.join(),
    ).toBe(true);
    expect(seen.includes('rmdir') || seen.includes('unlinkat'), seen.join()).toBe(true);
  });

  it('fsyncs every file and the new folder before the commit rename, and the parent after each rename', () => {
    const at = (re: RegExp) => trace.findIndex((l) => re.test(l));
    const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const commit = at(
      new RegExp(`rename\\("[^"]*/\\.${esc(ID)}\\.tmp-\\w+", "[^"]*/\\.${esc(ID)}\\.new"\\)`),
    );
    const swapOut = at(new RegExp(`rename\\("[^"]*/${esc(ID)}", "[^"]*/\\.${esc(ID)}\\.old"\\)`));
    const swapIn = at(new RegExp(`rename\\("[^"]*/\\.${esc(ID)}\\.new", "[^"]*/${esc(ID)}"\\)`));
    expect(commit).toBeGreaterThan(0);
    expect(swapOut).toBeGreaterThan(commit);
    expect(swapIn).toBeGreaterThan(swapOut);
    const fsyncs = trace
      .map((l, i) => ({ i, path: /fsync\(\d+<([^>]+)>\)/.exec(l)?.[1] }))
      .filter((f): f is { i: number; path: string } => !!f.path);
    const tmp = /"([^"]*\.tmp-\w+)"/.exec(trace[commit]!)![1]!;
    for (const name of Object.keys(newBytes))
      expect(
        fsyncs.some((f) => f.path === join(tmp, name) && f.i < commit),
        name,
      ).toBe(true);
    const lastFile = Math.max(
      ...fsyncs.filter((f) => f.path.startsWith(tmp + '/')).map((f) => f.i),
    );
    expect(fsyncs.some((f) => f.path === tmp && f.i > lastFile && f.i < commit)).toBe(true);
    const parent = join(tmp, '..');
    expect(fsyncs.some((f) => f.path === parent && f.i > commit && f.i < swapOut)).toBe(true);
    expect(fsyncs.some((f) => f.path === parent && f.i > swapIn)).toBe(true);
  });

  it('leaves the old folder or the new one; the next run restores at once, says so, and leaves nothing', async () => {
    const trials = [...calls].flatMap(([syscall, count]) =>
      Array.from({ length: count + 1 }, (_, k) => ({ syscall, n: k + 1, last: k === count })),
    );
    const results = await pool(
      trials.map(({ syscall, n, last }, index) => async () => {
        const artifacts = withOld(`${syscall}-${n}`);
        const log = join(work, `${syscall}-${n}.strace`);
        const crashed = await run(
          'strace',
          [
            '-o',
            log,
            '-e',
            `trace=${syscall}`,
            '-e',
            `inject=${syscall}:signal=SIGKILL:when=${n}`,
            ...build(artifacts),
          ],
          releaseEnv(),
        );
        const killed = readFileSync(log, 'utf8').includes('+++ killed by SIGKILL +++');
        const after = which(join(artifacts, ID));
        // An empty lock folder is a released lock (its owner file goes first): not a leftover.
        const released = (e: string) =>
          e.endsWith('.lock') && readdirSync(join(artifacts, e)).length === 0;
        const left = readdirSync(artifacts)
          .filter((e) => e !== ID && e !== 'log' && e !== 'verify.html' && !released(e))
          .sort();
        // The log right after the crash: its checkpoint is the old one or the new one, and its
        // tiles are that checkpoint's (Go's tlog checks them); what else an append left is extra.
        const logAfter = judge('log', vkey, join(artifacts, 'log'));
        const fresh = bytes(join(artifacts, `.${ID}.new`));
        // The next docprov run that touches artifacts/: check and regenerate, in turn.
        const next = index % 2 === 0 ? await check(artifacts) : await regenerate(artifacts);
        return {
          at: `${syscall} #${n}${last ? ' (none: the run completes)' : ''}`,
          killed,
          crashedCode: crashed.code,
          crashedMs: crashed.ms,
          after,
          left,
          freshIsNew: fresh ? isWholeNew(fresh) : undefined,
          via: index % 2 === 0 ? 'check' : 'regenerate',
          next: { code: next.code, ms: next.ms, notes: next.stderr.match(/^docprov: .*$/gm) ?? [] },
          final: which(join(artifacts, ID)),
          logAfter: logAfter.out.trim(),
          logFinal: judge('log', vkey, join(artifacts, 'log')).out.trim(),
          inLog: judge('inclusion', vkey, join(artifacts, ID)).out.trim(),
          remains: readdirSync(artifacts).sort(),
          last,
        };
      }),
    );
    for (const r of results) {
      const about = JSON.stringify(r, null, 2);
      // Killed at every step but the one after the last; the run that is not killed succeeds.
      expect(r.killed, about).toBe(!r.last);
      if (r.last) expect([r.crashedCode, r.after, r.left], about).toEqual([0, 'new', []]);
      // Right after the crash: old or new, or missing mid-swap with the whole new folder beside.
      expect(['old', 'new', 'missing'], about).toContain(r.after);
      if (r.after === 'missing') expect(r.freshIsNew, about).toBe(true);
      // The next run: succeeds at once, never waits, restores one of the two, leaves nothing.
      expect(r.next.code, about).toBe(0);
      expect(r.next.ms, about).toBeLessThan(30_000);
      expect(
        r.next.notes.filter((n) => n.startsWith('docprov: waiting')),
        about,
      ).toEqual([]);
      expect(r.remains, about).toEqual([ID, 'log', 'verify.html']);
      // The log: whole right after the crash (old size 1 or new size 2), whole after the next
      // run, and the published folder's entry is in it, whichever folder it is.
      expect(r.logAfter, about).toMatch(/^ok \S+ size [12] /);
      expect(r.logFinal, about).toMatch(/^ok \S+ size [123] /);
      expect(r.inLog, about).toMatch(/^ok index \d of /);
      expect(r.via === 'check' ? ['old', 'new'] : ['new'], about).toContain(r.final);
      // It says what it found and did; with nothing left over there is nothing to say.
      const said = r.next.notes.filter((n) => /^docprov: (restored|removed|took over)/.test(n));
      if (r.left.length === 0) expect(said, about).toEqual([]);
      else expect(said.length, about).toBeGreaterThan(0);
      if (r.after === 'missing')
        expect(said.join('\n'), about).toMatch(/restored .*: it was missing.*it is the new folder/);
      if (r.via === 'check' && r.left.some((e) => e.endsWith('.new')))
        expect(r.final, about).toBe('new');
    }
    const perSyscall = Object.fromEntries(calls);
    console.log(
      `crash points injected: ${JSON.stringify(perSyscall)} (+1 completing run each), ${results.length} runs`,
    );
    console.log(
      results
        .map((r) => `${r.at}: crashed run ${r.crashedMs} ms, next (${r.via}) ${r.next.ms} ms`)
        .join('\n'),
    );
  }, 300_000);
});
