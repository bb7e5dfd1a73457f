import { reportError, type Io } from '../io.js';
import type { Said } from './tasks.js';

// Whatever a document's run says on stderr is kept and handed back, so that the main thread
// prints each document's lines together, whichever thread ran it.

export function capture(): { io: Io; said: () => string } {
  let err = '';
  return {
    io: { out: () => {}, err: (text) => (err += text) },
    said: () => err,
  };
}

/**
 * A document's error said as the CLI says it (`docprov: error:` and hint lines), with its exit
 * code and the same error as data (schemas/error.schema.json).
 */
export function failure(e: unknown, io: Io, said: () => string): Said {
  let json = '';
  const exit = reportError({ out: (t) => (json += t), err: io.err }, e, false, true);
  const error = JSON.parse(json) as Said['error'] & object;
  return { exit, stderr: said(), code: error.error.code, error };
}
