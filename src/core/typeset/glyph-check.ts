import { codePointName, DocprovError, type Problem } from '../errors.js';

/**
 * Every printed character must have a glyph: no silent boxes or dropped letters. Each piece says
 * which font covers it (the body face, or a right-to-left face for a name).
 */
export function checkGlyphs(
  pieces: { text: string; line: number; hasGlyph: (cp: number) => boolean }[],
): void {
  const problems: Problem[] = [];
  for (const { text, line, hasGlyph } of pieces) {
    let column = 0;
    for (const ch of text) {
      column++;
      const cp = ch.codePointAt(0)!;
      if (cp === 0x0a || hasGlyph(cp)) continue;
      problems.push({
        code: 'missing-glyph',
        message: `the font has no glyph for "${ch}" (${codePointName(cp)})`,
        location: { line, column },
      });
    }
  }
  if (problems.length > 0)
    throw new DocprovError('missing-glyph', `${problems.length} character(s) cannot be typeset`, {
      hint: 'replace the character in the source, or typeset with a font that covers it',
      problems,
    });
}
