import { openPool, runTask, type Pool } from './pool.js';
import type { TaskName } from './tasks.js';

/**
 * Runs `here` on each task in this thread when there is one (a pool's threads cost more to start
 * than one document), else the named task on a pool of up to `threads` threads. `done` sees each
 * outcome as it comes. Returns the number of threads used.
 */
export async function runAll<T, R>(
  name: TaskName,
  tasks: T[],
  threads: number,
  here: (task: T) => Promise<R>,
  done: (outcome: R) => void,
): Promise<number> {
  const size = Math.min(threads, tasks.length);
  if (size <= 1) {
    for (const t of tasks) done(await here(t));
    return 1;
  }
  const pool: Pool = openPool(size);
  try {
    await Promise.all(tasks.map((t) => runTask<T, R>(pool, name, t).then(done)));
  } finally {
    await pool.destroy();
  }
  return size;
}
