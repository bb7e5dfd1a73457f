// The pool's worker threads (src/cli/batch/pool.ts): piscina calls these tasks by name.
export { build } from './build-task.js';
export { check } from './check-task.js';
export { verify } from './verify-task.js';
