export { buildDocument } from './build.js';
export type { BuildInput, BuildResult, StageReport } from './build.js';
export { readLetter } from './read-letter.js';
export type { ParsedSource } from './read-letter.js';
