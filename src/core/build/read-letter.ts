import { DocprovError, relocate } from '../errors.js';
import { parseLetter, type Letter } from '../letter/index.js';
import { normalise, type NormaliseResult } from '../normalise/index.js';

export interface ParsedSource {
  letter: Letter;
  /** `file:line` of a line of the canonical text, as the source numbers it. */
  textAt: (canonicalLine: number) => string;
}

/**
 * Parses normalised text into a letter. Every error names `file` and a line of the source,
 * though the letter is parsed from the canonical text (whose lines can differ).
 */
export function parseSource(normalisation: NormaliseResult, file?: string): ParsedSource {
  const toSource = (n: number) => normalisation.sourceLines[n - 1] ?? n;
  const textAt = (n: number) => `${file ?? 'text line'}${file ? ':' : ' '}${toSource(n)}`;
  try {
    return { letter: parseLetter(normalisation.text), textAt };
  } catch (e) {
    if (!(e instanceof DocprovError)) throw e;
    const moved = relocate(e, file, toSource);
    // An error about the whole text (an empty letter) still names the file.
    if (file === undefined || moved.problems.some((p) => p.location)) throw moved;
    throw new DocprovError(moved.code, `${file}: ${moved.message}`, {
      severity: moved.severity,
      ...(moved.hint !== undefined ? { hint: moved.hint } : {}),
      cause: e,
    });
  }
}

/** Normalises a letter's source and parses it, naming `file` in every error. */
export function readLetter(
  source: Uint8Array,
  file?: string,
): ParsedSource & { normalisation: NormaliseResult } {
  const normalisation = normalise(source, file);
  return { normalisation, ...parseSource(normalisation, file) };
}
