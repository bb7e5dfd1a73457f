export { typesetLetter } from './document.js';
export type { Typeset, TypesetInput } from './document.js';
