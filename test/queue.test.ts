import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSerial } from '../src/node/queue/serial.js';
import { bullmq, redisOptions } from '../src/node/queue/redis.js';
import { readLedger } from '../src/node/queue/ledger.js';
import { docprov, hasStackTrace } from './helpers/cli.js';
import { freshDevCrl } from './helpers/dev-crl.js';
import { ROOT } from './helpers/paths.js';
import { startRedis, type RedisServer } from './helpers/redis.js';
// @ts-expect-error: a plain .mjs script, also run by hand (npm run synthetic)
import { writeCorpus } from '../pipeline/synthetic.mjs';

// Issue 21, part 3: the queue on a real Redis (redis-server on 127.0.0.1). Two workers, one
// killed mid-job (SIGKILL), Redis restarted mid-run, a poisoned document: every document is
// published once and whole, verifies, and is recorded once in the ledger.

const N = 16;
const POISON = 'poisoned';
let redis: RedisServer;
let dir: string;
let sources: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  redis = await startRedis();
  dir = mkdtempSync(join(tmpdir(), 'docprov-queue-'));
  sources = join(dir, 'sources');
  writeCorpus(N, sources, 21);
  cpSync(join(sources, 'synthetic-00001'), join(sources, POISON), { recursive: true });
  const meta = join(sources, POISON, 'metadata.json');
  writeFileSync(meta, readFileSync(meta, 'utf8').replace('"type": "letter"', '"type": "memo"'));
  env = {
    DOCPROV_REDIS_URL: redis.url,
    DOCPROV_DEV_KEYS_DIR: join(dir, 'keys'),
    SOURCE_DATE_EPOCH: '1795000000',
  };
}, 60_000);
afterAll(async () => {
  await redis?.stop();
});

interface Running {
  child: ChildProcess;
  stdout: string;
  stderr: string;
  exited: Promise<number | null>;
}

function worker(out: string, extra: string[] = []): Running {
  const child = spawn(
    process.execPath,
    [
      `${ROOT}bin/docprov.cjs`,
      'worker',
      '-o',
      out,
      '--concurrency',
      '1',
      '--lock-ms',
      '2000',
      ...extra,
    ],
    { env: { ...process.env, ...env, NO_COLOR: '1' } },
  );
  const r: Running = {
    child,
    stdout: '',
    stderr: '',
    exited: new Promise((d) => child.on('exit', (c) => d(c))),
  };
  child.stdout!.on('data', (d) => (r.stdout += d));
  child.stderr!.on('data', (d) => (r.stderr += d));
  return r;
}

const until = async (what: () => boolean, ms = 120_000) => {
  const end = Date.now() + ms;
  while (!what()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
};
const lines = (text: string, status: string) =>
  [...text.matchAll(new RegExp(`^${status} +(\\S+)`, 'gm'))].map((m) => m[1]!);

describe('docprov queue and docprov worker, on Redis', () => {
  it('two workers, one killed mid-job, Redis restarted mid-run: each document published once and whole', async () => {
    const add = docprov(['queue', 'add', sources], { env });
    expect(add.code, add.stderr).toBe(0);
    expect(add.stdout).toContain(`queue: ${N + 1} document(s): ${N + 1} added, 0 already queued`);
    const again = docprov(['queue', 'add', sources], { env });
    expect(again.stdout).toContain(`${N + 1} document(s): 0 added, ${N + 1} already queued`);

    const out = join(dir, 'out');
    const a = worker(out);
    const b = worker(out, ['--until-empty']);
    // A is killed once it has published two documents, while it holds its next job.
    await until(() => lines(a.stdout, 'built').length >= 2);
    a.child.kill('SIGKILL');
    await a.exited;
    // Redis goes away and comes back while B works on.
    const published = () => lines(b.stdout, 'built').length + lines(b.stdout, 'unchanged').length;
    const before = published();
    await until(() => published() > before);
    await redis.stop();
    await new Promise((r) => setTimeout(r, 1500));
    await redis.start();
    // B ends with 1 if the poisoned document's job was its own to fail, as a build's would.
    expect(await b.exited, b.stderr).toBe(lines(b.stdout, 'FAILED').length ? 1 : 0);
    expect(b.stderr).toMatch(/worker \d+: \d+ document\(s\) done, [01] failed/);
    expect(b.stderr).toContain(`lost Redis at ${redis.url}`);

    const status = docprov(['queue', 'status', '--json'], { env });
    const s = JSON.parse(status.stdout);
    expect(s.build).toMatchObject({ completed: N, failed: 1, waiting: 0, active: 0 });
    // The poisoned document failed its own job, once, with the error one build gives.
    expect(s.failed).toHaveLength(1);
    const alone = docprov(['build', join(sources, POISON), '-o', join(dir, 'x')], { env });
    expect(alone.code).toBe(1);
    const errorLines = alone.stderr.slice(alone.stderr.indexOf('docprov: error:')).trim();
    expect(s.failed[0].error).toBe(errorLines);
    expect(hasStackTrace(a.stderr + b.stderr)).toBe(false);

    // A's job was taken mid-way: it stalled (its lock expired) and another worker completed it.
    const q = new (bullmq().Queue)('docprov-build', {
      connection: redisOptions({ DOCPROV_REDIS_URL: redis.url }).options,
    });
    const completed = await q.getCompleted(0, 1000);
    await q.close();
    const retried = completed.filter((j) => j.stalledCounter > 0);
    expect(retried.length).toBeGreaterThanOrEqual(1);
    for (const j of retried) expect(b.stdout).toContain(`(job ${j.id})`);
    // Every document once: built by one worker (or found built), one folder, nothing half done.
    const all = [...lines(a.stdout, 'built'), ...lines(b.stdout, 'built')];
    expect(new Set(all).size).toBe(all.length);
    const names = readdirSync(sources)
      .filter((n) => n !== POISON)
      .sort();
    expect(
      readdirSync(out)
        .filter((n) => !n.startsWith('.') && n !== 'ledger.jsonl' && n !== 'log')
        .sort(),
    ).toEqual(names);
    expect(readdirSync(out).filter((n) => /\.(new|old|lock|tmp-\w+)$/.test(n))).toEqual([]);
    const tree = docprov(['verify', out, ...freshDevCrl(join(dir, 'keys')).args], { env });
    expect(tree.code, tree.stdout).toBe(0);
    expect(tree.stdout).toContain(
      `${N} authentic, 0 not yet proven, 0 intact-untrusted, 0 invalid, 0 could not be checked`,
    );
    // The ledger: each publication once, numbered 0..N-1 by one writer at a time.
    const ledger = readLedger(out);
    expect(ledger.map((e) => e.index)).toEqual([...Array(N).keys()]);
    expect(ledger.map((e) => e.name).sort()).toEqual(names);

    // Adding again changes nothing; a worker finds nothing to do.
    expect(docprov(['queue', 'add', sources], { env }).stdout).toContain(
      `0 added, ${N + 1} already queued`,
    );
  }, 240_000);

  it('one writer at a time: a serial step never overlaps another, across two workers', async () => {
    const bull = bullmq();
    const { options } = redisOptions({ DOCPROV_REDIS_URL: redis.url });
    const spans: [number, number][] = [];
    const step = async () => {
      const t0 = performance.now();
      await new Promise((r) => setTimeout(r, 30));
      spans.push([t0, performance.now()]);
    };
    const onError = () => {};
    const one = await openSerial(bull, 'docprov-test-serial', options, step, {
      lockMs: 2000,
      onError,
    });
    const two = await openSerial(bull, 'docprov-test-serial', options, step, {
      lockMs: 2000,
      onError,
    });
    for (let i = 0; i < 12; i++) await (i % 2 ? one : two).add(`step-${i}`, {});
    await one.add('step-0', {}); // the same id: one step
    await until(() => spans.length >= 12, 30_000);
    await new Promise((r) => setTimeout(r, 200));
    await one.close();
    await two.close();
    expect(spans).toHaveLength(12);
    spans.sort((x, y) => x[0] - y[0]);
    for (let i = 1; i < spans.length; i++)
      expect(spans[i]![0]).toBeGreaterThanOrEqual(spans[i - 1]![1]);
  }, 60_000);

  it('a worker whose key differs from where the job was added fails that job, plainly', async () => {
    const one = join(dir, 'one');
    cpSync(join(sources, 'synthetic-00003'), join(one, 'mismatch'), { recursive: true });
    const other = { ...env, DOCPROV_DEV_KEYS_DIR: join(dir, 'other-keys') };
    expect(docprov(['queue', 'add', one], { env: other }).code).toBe(0);
    const w = worker(join(dir, 'out2'), ['--until-empty']);
    expect(await w.exited).toBe(1);
    expect(w.stderr).toMatch(/worker \d+: 0 document\(s\) done, 1 failed/);
    const s = JSON.parse(docprov(['queue', 'status', '--json'], { env }).stdout);
    const failed = s.failed.find((f: { job: string }) => f.job.startsWith('mismatch.'));
    expect(failed.error).toMatch(
      /^docprov: error: job mismatch\.[0-9a-f]{64}: this worker would build other bytes/,
    );
  }, 120_000);

  it('without Redis: a plain error and exit 2', () => {
    const unset = docprov(['queue', 'add', sources], { env: { ...env, DOCPROV_REDIS_URL: '' } });
    expect(unset.code).toBe(2);
    expect(unset.stderr).toContain(
      'docprov: error: the queue needs Redis, and DOCPROV_REDIS_URL is not set',
    );
    const down = docprov(['queue', 'status'], {
      env: { ...env, DOCPROV_REDIS_URL: 'redis://127.0.0.1:9' },
    });
    expect(down.code).toBe(2);
    expect(down.stderr).toMatch(
      /^docprov: error: cannot reach Redis at redis:\/\/127\.0\.0\.1:9: ECONNREFUSED$/m,
    );
    expect(hasStackTrace(down.stderr)).toBe(false);
    // A worker that never had Redis says so and ends, writing nothing (it used to wait forever).
    const outDir = join(mkdtempSync(join(tmpdir(), 'docprov-queue-')), 'out');
    const worker = docprov(['worker', '-o', outDir, '--until-empty'], {
      env: { ...env, DOCPROV_REDIS_URL: 'redis://127.0.0.1:9' },
    });
    expect(worker.code).toBe(2);
    expect(worker.stderr).toMatch(
      /^docprov: error: cannot reach Redis at redis:\/\/127\.0\.0\.1:9: ECONNREFUSED$/m,
    );
    expect(worker.stderr).not.toContain('lost Redis');
    expect(existsSync(outDir)).toBe(false);
  });
});
