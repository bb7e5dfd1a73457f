import { performance } from 'node:perf_hooks';
import { buildInto, buildSetup, type BuildSetup } from '../build-document.js';
import { EXIT } from '../io.js';
import { capture, failure } from './said.js';
import type { BuildOutcome, BuildTask } from './tasks.js';

// One document's build, in a worker thread of the pool or in the command's own thread.

// Setups by options: the identity is loaded once a thread.
const setups = new Map<string, Promise<BuildSetup>>();

export async function build(task: BuildTask): Promise<BuildOutcome> {
  const t0 = performance.now();
  const { io, said } = capture();
  try {
    const key = JSON.stringify(task.options);
    let setup = setups.get(key);
    if (!setup) setups.set(key, (setup = buildSetup(task.options)));
    // The main thread said once that the signatures are B-B; a worker says it no more.
    const shared = { ...(await setup), saidNoTimestamp: true };
    const built = await buildInto(shared, task.source, task.out, io, task.digest, task.force);
    return {
      name: task.name,
      status: built.status === 'current' ? 'unchanged' : 'built',
      ms: performance.now() - t0,
      id: built.id,
      ...(built.verdict ? { verdict: built.verdict } : {}),
      stages: built.stages,
      files: built.files,
      exit: EXIT.ok,
      stderr: said(),
    };
  } catch (e) {
    setups.delete(JSON.stringify(task.options)); // a key that failed to load is tried afresh
    return {
      name: task.name,
      status: 'failed',
      ms: performance.now() - t0,
      ...failure(e, io, said),
    };
  }
}
