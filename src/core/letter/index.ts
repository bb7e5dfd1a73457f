export { parseLetter } from './parse.js';
export { parseWrittenDate } from './date.js';
export type { Letter, Dateline, Person, Located } from './types.js';
