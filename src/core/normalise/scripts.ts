import type { Problem } from '../errors.js';

// Homoglyph spoofing mixes look-alike letters from several scripts inside one word.
const SCRIPTS: ReadonlyArray<[string, RegExp]> = [
  ['Latin', /\p{Script=Latin}/u],
  ['Cyrillic', /\p{Script=Cyrillic}/u],
  ['Greek', /\p{Script=Greek}/u],
  ['Armenian', /\p{Script=Armenian}/u],
  ['Cherokee', /\p{Script=Cherokee}/u],
  ['Arabic', /\p{Script=Arabic}/u],
  ['Hebrew', /\p{Script=Hebrew}/u],
];

const WORD = /[\p{L}\p{M}]+/gu;

function scriptOf(ch: string): string | undefined {
  for (const [name, re] of SCRIPTS) if (re.test(ch)) return name;
  return undefined;
}

/**
 * Warns about every word whose letters come from more than one script. `sourceLines` maps each
 * line to the line of the input it came from, for the location.
 */
export function findMixedScripts(
  lines: readonly string[],
  sourceLines: readonly number[] = lines.map((_, i) => i + 1),
  file?: string,
): Problem[] {
  const warnings: Problem[] = [];
  lines.forEach((line, index) => {
    for (const match of line.matchAll(WORD)) {
      const word = match[0];
      const seen = new Set<string>();
      for (const ch of word) {
        const s = scriptOf(ch);
        if (s) seen.add(s);
      }
      if (seen.size > 1) {
        const column = [...line.slice(0, match.index)].length + 1;
        warnings.push({
          code: 'mixed-script',
          message: `the word "${word}" mixes ${[...seen].join(' and ')} letters`,
          hint: 'a look-alike letter from another script may have been substituted',
          location: {
            ...(file !== undefined ? { file } : {}),
            line: sourceLines[index] ?? index + 1,
            column,
          },
        });
      }
    }
  });
  return warnings;
}
