export { validateMetadata } from './validate.js';
export type { ValidatedMetadata } from './validate.js';
export { parseJsonWithPositions } from './json-source.js';
export type { LetterMetadata } from './types.js';
