import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import type { Piscina } from 'piscina';
import { PACKAGE_ROOT } from '../../node/package-root.js';
import { usageError } from '../io.js';
import type { TaskName } from './tasks.js';

// Many documents in one process: a pool of worker threads (piscina), one a core. piscina starts
// its threads from its own file in node_modules, so it is required at run time, never bundled,
// and only when there is work for it.

const require = createRequire(import.meta.url);

export type Pool = Pick<Piscina, 'run' | 'destroy'>;

/** The number of threads: --jobs N, else one a core. */
export function poolSize(jobs: string | undefined): number {
  if (jobs === undefined) return availableParallelism();
  if (!/^[1-9]\d{0,3}$/.test(jobs))
    throw usageError(
      `--jobs "${jobs}" is not a number of threads`,
      'give a whole number, e.g. --jobs 2',
    );
  return Number(jobs);
}

/** The worker's code: its own bundle (scripts/bundle.mjs), or the compiled module without one. */
function workerFile(): string {
  const bundle = `${PACKAGE_ROOT}dist/bundle/pool-worker.cjs`;
  return !process.env.DOCPROV_NO_BUNDLE && existsSync(bundle)
    ? bundle
    : `${PACKAGE_ROOT}dist/cli/batch/worker.js`;
}

export function openPool(threads: number): Pool {
  // CommonJS piscina exports the class itself (it is also its own .Piscina).
  const Pool = (require('piscina') as { Piscina: typeof Piscina }).Piscina;
  return new Pool({
    filename: workerFile(),
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: 60_000,
  });
}

/** Runs a named task of src/cli/batch/worker.ts on the pool. */
export function runTask<T, R>(pool: Pool, name: TaskName, task: T): Promise<R> {
  return pool.run(task, { name }) as Promise<R>;
}
