import { performance } from 'node:perf_hooks';
import { revocationFiles, shippedRevocationFiles } from '../../node/revocation-data.js';
import { loadLogKeys, loadTrustAnchors } from '../../node/trust-store.js';
import { checkDocument, type CheckContext } from '../check-document.js';
import { EXIT } from '../io.js';
import { capture, failure } from './said.js';
import type { CheckOutcome, CheckTask } from './tasks.js';

// One published folder checked (docprov check), in a worker thread of the pool or in the
// command's own thread: against the shipped trust store, revocation data and log keys only.

let shipped: Omit<CheckContext, 'now'> | undefined;

export async function check(task: CheckTask): Promise<CheckOutcome> {
  const t0 = performance.now();
  const { io, said } = capture();
  try {
    shipped ??= {
      anchors: loadTrustAnchors(),
      revocation: revocationFiles(shippedRevocationFiles()),
      logKeys: loadLogKeys(),
    };
    const findings = await checkDocument(task.artifacts, task.name, task.sources, {
      ...shipped,
      now: new Date(task.now),
    });
    return { name: task.name, ms: performance.now() - t0, findings, exit: EXIT.ok, stderr: said() };
  } catch (e) {
    return { name: task.name, ms: performance.now() - t0, ...failure(e, io, said) };
  }
}
