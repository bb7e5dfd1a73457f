import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type * as BullMQ from 'bullmq';
import { DocprovError } from '../../core/errors.js';
import { stampPath } from '../../node/inputs.js';
import { signingChain } from '../../node/keys.js';
import {
  BUILD_QUEUE,
  JOB_FORMAT,
  LEDGER_QUEUE,
  type BuildJobData,
  type BuildJobResult,
  type LedgerEntryData,
} from '../../node/queue/jobs.js';
import { appendLedger } from '../../node/queue/ledger.js';
import { bullmq, reachRedis, redisOptions } from '../../node/queue/redis.js';
import { openSerial } from '../../node/queue/serial.js';
import { openPool, runTask } from '../batch/pool.js';
import type { BuildOutcome, BuildTask } from '../batch/tasks.js';
import { buildDigester, type BuildOptions } from '../build-document.js';
import { EXIT, note, reportError, type Io } from '../io.js';
import { printable } from '../printable.js';

// `docprov worker -o OUT`: takes documents from the queue and builds them on a pool of threads
// (the main thread stays free to renew the jobs' locks), publishing into OUT as a build does.
// A job whose worker dies is moved back by BullMQ once its lock expires and built by another;
// the publish is crash-safe (src/node/atomic.ts) and a folder already holding the job's build
// is kept, so nothing is published twice or half. Bad sources fail their own job, not the queue.

export interface WorkFlags {
  concurrency: number;
  untilEmpty: boolean;
  lockMs: number;
  trust: string[];
}

const fromB64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));

/** A DocprovError as the lines the CLI prints for it. */
function said(e: unknown): string {
  let err = '';
  reportError({ out: () => {}, err: (t) => (err += t) }, e, false);
  return err.trim();
}

export async function work(out: string, io: Io, flags: WorkFlags): Promise<number> {
  const { url, options: connection } = redisOptions();
  const target = resolve(out);
  const bull = bullmq();
  // Redis lost later is waited for (and said); no Redis at the start is a plain error.
  await reachRedis(bull, url, connection);
  mkdirSync(target, { recursive: true });
  const chain = await signingChain();
  const digesters = new Map<string, ReturnType<typeof buildDigester>>();
  const base: BuildOptions = {
    release: false,
    revocation: [],
    trust: flags.trust.map((t) => resolve(t)),
    renewTimestamps: false,
  };
  const optionsFor = (data: BuildJobData): BuildOptions => ({
    ...base,
    release: data.release,
    releaseTime: data.releaseTime,
  });
  const digestOf = (data: BuildJobData) => {
    const key = `${data.release} ${data.releaseTime}`;
    let d = digesters.get(key);
    if (!d)
      digesters.set(
        key,
        (d = buildDigester({
          options: optionsFor(data),
          sourceDateEpoch: data.releaseTime || undefined,
          chain,
        })),
      );
    return d({ source: fromB64(data.source), metadata: fromB64(data.metadata) });
  };

  // Redis going away is said once, and its return too; ioredis reconnects on its own.
  let down = false;
  const onError = (e: Error) => {
    if (down) return;
    down = true;
    note(io, `lost Redis at ${url} (${(e as { code?: string }).code ?? e.message}): reconnecting`);
  };
  const ledger = await openSerial<LedgerEntryData>(
    bull,
    LEDGER_QUEUE,
    connection,
    (entry) => appendLedger(target, entry),
    { lockMs: flags.lockMs, onError },
  );

  const pool = openPool(flags.concurrency);
  const processor = async (job: BullMQ.Job<BuildJobData>): Promise<BuildJobResult> => {
    const data = job.data;
    if (data?.format !== JOB_FORMAT)
      throw new bull.UnrecoverableError(
        `docprov: error: job ${job.id} is not a docprov job (${JOB_FORMAT})`,
      );
    if (digestOf(data) !== data.digest)
      throw new bull.UnrecoverableError(
        said(
          new DocprovError(
            'worker-mismatch',
            `job ${job.id}: this worker would build other bytes than the job was added for: its docprov code, fonts, signing certificate or DOCPROV_TSA_URL differ from where the job was added`,
            {
              severity: 'unusable',
              hint: 'run the same docprov, with the same DOCPROV_SIGNING_CERT and DOCPROV_TSA_URL, on every worker and where jobs are added; then docprov queue retry',
            },
          ),
        ),
      );
    const task: BuildTask = {
      name: data.name,
      source: {
        source: fromB64(data.source),
        metadata: fromB64(data.metadata),
        sourceName: data.sourceName,
        metadataName: data.metadataName,
        provenance: data.provenance,
      },
      out: join(target, data.name),
      options: optionsFor(data),
      digest: data.digest,
      force: false,
    };
    const o = await runTask<BuildTask, BuildOutcome>(pool, 'build', task);
    if (o.status === 'failed') {
      io.out(printable(`FAILED     ${data.name}  (job ${job.id})`) + '\n');
      io.err(o.stderr);
      // Bad sources fail the same way every time: no retry. Anything else may pass next time.
      if (o.exit === EXIT.invalid) throw new bull.UnrecoverableError(o.stderr.trim());
      throw new Error(o.stderr.trim() || `the build of ${data.name} failed`);
    }
    if (o.stderr) io.err(o.stderr);
    const stamp = JSON.parse(readFileSync(stampPath(task.out), 'utf8')) as { manifest: string };
    await ledger.add(String(job.id), {
      name: data.name,
      id: o.id!,
      digest: data.digest,
      manifest: stamp.manifest,
      job: String(job.id),
    });
    io.out(
      printable(`${o.status.padEnd(10)} ${data.name}  ${o.ms.toFixed(0)} ms  (job ${job.id})`) +
        '\n',
    );
    return {
      status: o.status === 'built' ? 'built' : 'unchanged',
      id: o.id!,
      digest: data.digest,
      ms: o.ms,
    };
  };

  let done = 0;
  let failed = 0;
  const worker = new bull.Worker<BuildJobData, BuildJobResult>(BUILD_QUEUE, processor, {
    connection: { ...connection, maxRetriesPerRequest: null },
    concurrency: flags.concurrency,
    lockDuration: flags.lockMs,
    stalledInterval: flags.lockMs,
    maxStalledCount: 5,
  });
  worker.on('error', onError);
  worker.on('completed', () => done++);
  // Failed for good (no retry left): an attempt that will be retried is not yet a failure.
  worker.on('failed', (job) => {
    if (job?.finishedOn) failed++;
  });
  worker.on('ready', () => {
    if (down) note(io, `Redis at ${url} is back`);
    down = false;
  });
  note(
    io,
    `worker ${process.pid}: ${flags.concurrency} thread(s), publishing into ${target}, queue at ${url}`,
  );

  const stopped = new Promise<void>((done) => {
    const stop = () => done();
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
    if (flags.untilEmpty) {
      const queues = [new bull.Queue(BUILD_QUEUE, { connection }), ledger.queue];
      queues[0]!.on('error', onError);
      let idle = 0;
      const poll = async () => {
        try {
          const counts = await Promise.all(
            queues.map((q) =>
              q.getJobCounts(
                'waiting',
                'active',
                'delayed',
                'prioritized',
                'waiting-children',
                'paused',
              ),
            ),
          );
          const left = counts.reduce((n, c) => n + Object.values(c).reduce((a, b) => a + b, 0), 0);
          // Empty twice in a row: a job moving from one state to another is never missed.
          idle = left === 0 ? idle + 1 : 0;
          if (idle >= 2) {
            await queues[0]!.close();
            return done();
          }
        } catch {
          idle = 0;
        }
        setTimeout(() => void poll(), 500);
      };
      void poll();
    }
  });
  await stopped;
  await worker.close();
  await ledger.close();
  await pool.destroy();
  // What this worker did, in one line; a job it failed makes its exit 1, as a build's would.
  note(io, `worker ${process.pid}: ${done} document(s) done, ${failed} failed`);
  return failed ? EXIT.invalid : EXIT.ok;
}
