import type { VerifyJob, WorkerMessage } from '../protocol.js';
import { workerUrl } from './worker-url.js';

// The verifier runs in a worker made from this page's own text (no request). One job per
// worker: a new check ends the worker of the previous one, so a 200 MB file never has to finish
// first. A spare worker is started ahead, so a check does not wait for one to start.

let url: string | undefined;
let spare: Worker | undefined;
let current: Worker | undefined;

function fresh(): Worker {
  url ??= workerUrl('verifier-worker');
  return new Worker(url, { name: 'docprov verifier' });
}

/** Starts the spare worker (its script is parsed while the reader chooses a file). */
export function prepare(): void {
  spare ??= fresh();
}

export function verify(job: VerifyJob, onMessage: (m: WorkerMessage) => void): void {
  current?.terminate();
  const worker = spare ?? fresh();
  spare = undefined;
  current = worker;
  worker.onmessage = (e: MessageEvent<WorkerMessage>) => {
    if (worker !== current) return;
    if (e.data.type !== 'progress') {
      worker.terminate();
      current = undefined;
      prepare();
    }
    onMessage(e.data);
  };
  worker.onerror = (e) => {
    e.preventDefault();
    if (worker !== current) return;
    current = undefined;
    onMessage({ type: 'error', message: `the verifier could not run (${e.message})` });
  };
  worker.postMessage(job);
}
