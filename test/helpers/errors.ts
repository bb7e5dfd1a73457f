import { DocprovError } from '../../src/core/errors.js';

/** Runs `run` and returns the DocprovError it throws; any other outcome fails the test. */
export function thrown(run: () => unknown): DocprovError {
  try {
    run();
  } catch (e) {
    if (e instanceof DocprovError) return e;
    throw e;
  }
  throw new Error('expected a DocprovError, but nothing was thrown');
}
