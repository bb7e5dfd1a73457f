import type { ValidateFunction } from 'ajv';
import { canonicalJson } from '../canonical-json.js';
import { DocprovError } from '../errors.js';
import type { Letter } from '../letter/types.js';
import { crossCheck } from './crosscheck.js';
import { parseJsonWithPositions } from './json-source.js';
import { schemaProblems } from './schema.js';
import type { LetterMetadata } from './types.js';

export interface ValidatedMetadata {
  metadata: LetterMetadata;
  /** RFC 8785 canonical form, without the editor-only `$schema` key. */
  canonical: string;
}

/**
 * Parses metadata JSON, validates it against the schema, then against the letter.
 * Throws one error listing every problem found, each with pointer, line and column.
 * `textAt` names a line of the letter in messages (its file and source line).
 */
export function validateMetadata(
  text: string,
  letter: Letter,
  validate: ValidateFunction,
  file?: string,
  textAt?: (line: number) => string,
): ValidatedMetadata {
  const source = parseJsonWithPositions(text, file);
  const problems = schemaProblems(validate, source, file);
  if (problems.length === 0)
    problems.push(...crossCheck(source.value as LetterMetadata, letter, source, file, textAt));
  if (problems.length > 0) {
    const n = problems.length;
    const what = `${file ?? 'the metadata'} has ${n} error${n === 1 ? '' : 's'}`;
    throw new DocprovError('metadata-invalid', what, {
      hint: 'fix each error listed above; the schema is schemas/letter-metadata.schema.json',
      problems,
    });
  }
  const metadata = source.value as LetterMetadata;
  const { $schema: _editorOnly, ...rest } = metadata;
  return { metadata, canonical: canonicalJson(rest) };
}
