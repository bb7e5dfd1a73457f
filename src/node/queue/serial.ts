import type * as BullMQ from 'bullmq';
import type { Bull } from './redis.js';

// One writer at a time, across every worker on every machine: a BullMQ queue whose global
// concurrency is 1, so Redis hands out its jobs one at a time, whichever worker asks. A shared
// resource whose every change reads what is there first (the ledger's next index, a transparency
// log's tree size and checkpoint) is changed only in this queue's processor. A job whose worker
// dies is retried after its lock expires: each step must be idempotent (the ledger's is).

export interface Serial<T> {
  queue: BullMQ.Queue;
  worker: BullMQ.Worker;
  /** Adds a step; the same id twice is one step. */
  add(id: string, data: T): Promise<void>;
  close(): Promise<void>;
}

export async function openSerial<T>(
  bull: Bull,
  name: string,
  connection: BullMQ.RedisOptions,
  step: (data: T, job: BullMQ.Job) => Promise<unknown> | unknown,
  opts: { lockMs: number; onError: (e: Error) => void },
): Promise<Serial<T>> {
  // Inside a worker, a step waits out a Redis restart rather than fail.
  const queue = new bull.Queue(name, { connection: { ...connection, maxRetriesPerRequest: null } });
  queue.on('error', opts.onError);
  await queue.setGlobalConcurrency(1);
  const worker = new bull.Worker(name, async (job: BullMQ.Job) => step(job.data as T, job), {
    connection: { ...connection, maxRetriesPerRequest: null },
    concurrency: 1,
    lockDuration: opts.lockMs,
    stalledInterval: opts.lockMs,
    maxStalledCount: 10,
  });
  worker.on('error', opts.onError);
  return {
    queue,
    worker,
    async add(id, data) {
      await queue.add(name, data, {
        jobId: id,
        attempts: 5,
        backoff: { type: 'exponential', delay: 500 },
        removeOnComplete: false,
        removeOnFail: false,
      });
    },
    async close() {
      await worker.close();
      await queue.close();
    },
  };
}
