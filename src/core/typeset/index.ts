export { typesetLetter } from './document.js';
export type { TypesetInput } from './document.js';
