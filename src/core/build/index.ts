export { buildDocument } from './build.js';
export type { BuildInput, BuildResult, StageReport } from './build.js';
