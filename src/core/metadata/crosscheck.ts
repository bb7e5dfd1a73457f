import type { Problem } from '../errors.js';
import type { Letter } from '../letter/types.js';
import type { JsonSource } from './json-source.js';
import type { LetterMetadata } from './types.js';

// The metadata must describe the letter it travels with: its facts are checked against the text.

export function crossCheck(
  meta: LetterMetadata,
  letter: Letter,
  source: JsonSource,
  file?: string,
  textAt: (line: number) => string = (line) => `text line ${line}`,
): Problem[] {
  const problems: Problem[] = [];
  const mismatch = (
    pointer: string,
    what: string,
    metaValue: string,
    letterValue: string,
    letterLine: number,
  ): void => {
    const at = source.positions.get(pointer)?.value ?? { line: 1, column: 1 };
    problems.push({
      code: 'metadata-mismatch',
      message: `${pointer}: the metadata's ${what} "${metaValue}" disagrees with the letter's "${letterValue}" (${textAt(letterLine)})`,
      hint: 'correct whichever of the two is wrong',
      location: { ...(file ? { file } : {}), line: at.line, column: at.column, pointer },
    });
  };
  const { dateline, signature, addressee } = letter;
  if (meta.date !== dateline.value.date)
    mismatch('/date', 'date', meta.date, dateline.value.date, dateline.line);
  if (meta.place !== dateline.value.place)
    mismatch('/place', 'place', meta.place, dateline.value.place, dateline.line);
  if (meta.author.name !== signature.value.name)
    mismatch('/author/name', 'author', meta.author.name, signature.value.name, signature.line);
  if (meta.author.titles && meta.author.titles.join(' / ') !== signature.value.lines.join(' / '))
    mismatch(
      '/author/titles',
      'author titles',
      meta.author.titles.join(' / '),
      signature.value.lines.join(' / '),
      signature.line,
    );
  if (meta.recipient.name !== addressee.value.name)
    mismatch(
      '/recipient/name',
      'recipient',
      meta.recipient.name,
      addressee.value.name,
      addressee.line,
    );
  if (meta.recipient.honorific && meta.recipient.honorific !== addressee.value.honorific)
    mismatch(
      '/recipient/honorific',
      'recipient honorific',
      meta.recipient.honorific,
      addressee.value.honorific ?? '',
      addressee.line,
    );
  if (meta.recipient.title && !addressee.value.lines.includes(meta.recipient.title))
    mismatch(
      '/recipient/title',
      'recipient title',
      meta.recipient.title,
      addressee.value.lines.join(' / '),
      addressee.line,
    );
  if (meta.recipient.organisation && !addressee.value.lines.includes(meta.recipient.organisation))
    mismatch(
      '/recipient/organisation',
      'recipient organisation',
      meta.recipient.organisation,
      addressee.value.lines.join(' / '),
      addressee.line,
    );
  return problems;
}
