import { DocprovError } from '../../core/errors.js';
import type { VerifyJob, WorkerMessage } from '../protocol.js';
import { runJob } from './run.js';

// The verifier's thread: the page stays responsive while a large file is read and hashed. One
// job per worker; the page ends the worker to cancel.

/** The part of a dedicated worker's global scope this file uses (DOM and WebWorker typings clash). */
interface WorkerScope {
  onmessage: ((e: MessageEvent<VerifyJob>) => void) | null;
  postMessage(message: WorkerMessage): void;
}
const scope = globalThis as unknown as WorkerScope;

scope.onmessage = async (e) => {
  let last = 0;
  const progress = (done: number, total: number) => {
    // A message per 1% at most: thousands of small chunks would flood the page.
    if (done !== total && done - last < total / 100) return;
    last = done;
    scope.postMessage({ type: 'progress', done, total });
  };
  try {
    const { report, pdf } = await runJob(e.data, progress);
    scope.postMessage({ type: 'result', report, ...(pdf !== undefined ? { pdf } : {}) });
  } catch (err) {
    const known = err instanceof DocprovError;
    scope.postMessage({
      type: 'error',
      message: known
        ? err.message
        : `the verifier stopped unexpectedly (${err instanceof Error ? err.message : String(err)})`,
      ...(known && err.hint ? { hint: err.hint } : {}),
    });
  }
};
