import { BUILD_QUEUE, LEDGER_QUEUE } from '../../node/queue/jobs.js';
import { bullmq, redisOptions, unreachable } from '../../node/queue/redis.js';
import { EXIT, type Io } from '../io.js';
import { jsonText, printable } from '../printable.js';

// `docprov queue status` and `docprov queue retry`: what the queue holds, and the failed jobs
// (each with the error its build said), put back to be built again.

const STATES = ['waiting', 'active', 'delayed', 'completed', 'failed'] as const;

export async function queueStatus(
  io: Io,
  flags: { json: boolean; retry: boolean },
): Promise<number> {
  const { url, options } = redisOptions();
  const bull = bullmq();
  const connection = {
    ...options,
    enableOfflineQueue: false,
    connectTimeout: 5_000,
    retryStrategy: () => null,
  };
  const build = new bull.Queue(BUILD_QUEUE, { connection });
  const ledger = new bull.Queue(LEDGER_QUEUE, { connection });
  let lost: unknown;
  for (const q of [build, ledger]) q.on('error', (e) => (lost ??= e));
  try {
    try {
      await build.waitUntilReady();
    } catch (e) {
      throw unreachable(url, lost ?? e);
    }
    if (flags.retry) {
      const before = await build.getJobCountByTypes('failed');
      await build.retryJobs({ state: 'failed' });
      io.out(`queue: ${before} failed job(s) put back to be built again (${url})\n`);
      return EXIT.ok;
    }
    const counts = await build.getJobCounts(...STATES);
    const ledgerCounts = await ledger.getJobCounts(...STATES);
    const failed = (await build.getFailed()).map((j) => ({
      job: j.id ?? '',
      error: j.failedReason,
    }));
    if (flags.json)
      io.out(
        jsonText({
          format: 'docprov-queue-status/1',
          redis: url,
          build: counts,
          ledger: ledgerCounts,
          failed,
        }),
      );
    else {
      io.out(`queue ${url}\n`);
      io.out(`  documents  ${STATES.map((s) => `${s} ${counts[s] ?? 0}`).join(', ')}\n`);
      io.out(`  ledger     ${STATES.map((s) => `${s} ${ledgerCounts[s] ?? 0}`).join(', ')}\n`);
      for (const f of failed)
        io.out(
          `  failed     ${printable(f.job)}\n${f.error
            .split('\n')
            .map((l) => `    ${printable(l)}`)
            .join('\n')}\n`,
        );
    }
    return failed.length > 0 ? EXIT.invalid : EXIT.ok;
  } finally {
    await build.close().catch(() => {});
    await ledger.close().catch(() => {});
  }
}
