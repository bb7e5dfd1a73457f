export { typesetLetter } from './document.js';
export type { Typeset, TypesetInput } from './document.js';
export type { HarfBuzzWasm } from './harfbuzz.js';
