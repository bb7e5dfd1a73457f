import type { VerifyJob, WorkerMessage } from '../protocol.js';
import { workerUrl } from './worker-url.js';

// The verifier runs in a worker made from this page's own text (no request). A new
// check ends the worker of the previous one, so a 200 MB file never has to finish first.

let url: string | undefined;
let current: Worker | undefined;

export function verify(job: VerifyJob, onMessage: (m: WorkerMessage) => void): void {
  url ??= workerUrl('verifier-worker');
  current?.terminate();
  const worker = new Worker(url, { name: 'docprov verifier' });
  current = worker;
  worker.onmessage = (e: MessageEvent<WorkerMessage>) => {
    if (worker !== current) return;
    if (e.data.type !== 'progress') {
      worker.terminate();
      current = undefined;
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

export function cancel(): void {
  current?.terminate();
  current = undefined;
}
