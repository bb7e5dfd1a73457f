import { performance } from 'node:perf_hooks';
import type { VerifyContext } from '../../core/verify/verify.js';
import { nodeCrypto } from '../../node/crypto.js';
import { revocationFiles, shippedRevocationFiles } from '../../node/revocation-data.js';
import { loadTrustAnchors } from '../../node/trust-store.js';
import { verifyPath } from '../commands/verify.js';
import { EXIT } from '../io.js';
import { capture, failure } from './said.js';
import type { VerifyOutcome, VerifyTask } from './tasks.js';

// One document folder verified (docprov verify), in a worker thread of the pool or in the
// command's own thread.

const anchorsFor = new Map<string, ReturnType<typeof loadTrustAnchors>>();
function anchors(trust: string[]) {
  const key = JSON.stringify(trust);
  let a = anchorsFor.get(key);
  if (!a) anchorsFor.set(key, (a = loadTrustAnchors(trust)));
  return a;
}

export async function verify(task: VerifyTask): Promise<VerifyOutcome> {
  const t0 = performance.now();
  const { io, said } = capture();
  try {
    const ctx: VerifyContext = {
      crypto: nodeCrypto,
      anchors: anchors(task.trust),
      now: new Date(task.now),
      revocation: revocationFiles([...shippedRevocationFiles(), ...task.revocation]),
      ...(task.signer ? { signerPin: task.signer } : {}),
    };
    const report = await verifyPath(task.path, undefined, ctx);
    return {
      name: task.name,
      ms: performance.now() - t0,
      report,
      exit: report.verdict === 'authentic' ? EXIT.ok : EXIT.invalid,
      stderr: said(),
    };
  } catch (e) {
    return { name: task.name, ms: performance.now() - t0, ...failure(e, io, said) };
  }
}
