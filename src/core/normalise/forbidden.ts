import { codePointName, type Problem } from '../errors.js';
import { invisibleTreatment, type InvisibleKind } from './invisible.js';

// Characters that can hide or reorder text: a verifier must never show one thing and hash another.

const PRIVATE_USE = /\p{Co}/u;
const UNASSIGNED = /\p{Cn}/u;
const SURROGATE = /\p{Cs}/u;

export type ForbiddenKind =
  'control' | InvisibleKind | 'private-use' | 'unassigned' | 'lone-surrogate';

/** Classifies a code point the canonical text may not contain, or undefined if it is allowed. */
export function classify(cp: number): ForbiddenKind | undefined {
  if (cp === 0x09 || cp === 0x0a) return undefined;
  if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) return 'control';
  if (cp < 0x80) return undefined;
  const invisible = invisibleTreatment(cp);
  if (invisible) return invisible.action === 'reject' ? invisible.kind : undefined;
  const ch = String.fromCodePoint(cp);
  if (SURROGATE.test(ch)) return 'lone-surrogate';
  if (PRIVATE_USE.test(ch)) return 'private-use';
  if (UNASSIGNED.test(ch)) return 'unassigned';
  return undefined;
}

const DESCRIPTION: Record<ForbiddenKind, string> = {
  control: 'control character',
  'bidi-control': 'bidirectional control character',
  invisible: 'zero-width or invisible character',
  format: 'invisible format character',
  tag: 'invisible tag character',
  'variation-selector': 'variation selector',
  filler: 'invisible filler character',
  'private-use': 'private-use code point',
  unassigned: 'unassigned code point',
  'lone-surrogate': 'lone surrogate',
};

const MAX_REPORTED = 50;

/** Lists every forbidden character in the lines (1-based line, column in code points). */
export function findForbidden(lines: readonly string[], file?: string): Problem[] {
  const problems: Problem[] = [];
  lines.forEach((line, index) => {
    let column = 0;
    for (const ch of line) {
      column++;
      const cp = ch.codePointAt(0)!;
      const kind = classify(cp);
      if (kind && problems.length < MAX_REPORTED) {
        const named = invisibleTreatment(cp);
        problems.push({
          code: `forbidden-${kind}`,
          message: `${DESCRIPTION[kind]} ${codePointName(cp)}${named ? ` (${named.name})` : ''}`,
          location: { ...(file !== undefined ? { file } : {}), line: index + 1, column },
        });
      }
    }
  });
  return problems;
}
