export { normalise, normaliseText, NORMALISATION_RULES } from './normalise.js';
export type { Change, NormaliseResult, RuleId } from './normalise.js';
export { decodeUtf8Strict, findInvalidUtf8 } from './utf8.js';
