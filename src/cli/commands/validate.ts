import { readLetter } from '../../core/build/read-letter.js';
import { validateMetadata } from '../../core/metadata/index.js';
import { decodeUtf8Strict } from '../../core/normalise/index.js';
import { inputName, readInput } from '../../node/files.js';
import { loadSchema } from '../../node/schemas.js';
import { parse } from '../args.js';
import type { Command } from '../command.js';
import { printable } from '../printable.js';
import { EXIT, usageError, warn } from '../io.js';

export const validateCommand: Command = {
  name: 'validate',
  help: `Usage: docprov validate METADATA --text SOURCE

Validates METADATA (JSON) against schemas/letter-metadata.schema.json, then checks that its
date, place, author and recipient agree with the letter in SOURCE. Every error is listed with
its file, line and column (and JSON pointer).

Options:
  --text SOURCE   the letter's source text (required)
  --help          show this help

Exit: 0 valid, 1 invalid, 2 could not run.
`,
  run(args, io) {
    const { values, positionals } = parse('validate', args, { text: { type: 'string' } });
    if (positionals.length !== 1 || !values.text)
      throw usageError(
        'validate takes METADATA and --text SOURCE',
        'run "docprov validate --help"',
      );
    const metaPath = positionals[0]!;
    const { normalisation, letter, textAt } = readLetter(
      readInput(values.text),
      inputName(values.text),
    );
    warn(io, normalisation.warnings);
    const text = decodeUtf8Strict(readInput(metaPath), metaPath).replace(/^\uFEFF/, '');
    const { metadata } = validateMetadata(
      text,
      letter,
      loadSchema('letter-metadata'),
      metaPath,
      textAt,
    );
    io.out(
      printable(
        `docprov: ${metaPath} is valid: schema and cross-checks against ${values.text} pass (id ${metadata.id})`,
      ) + '\n',
    );
    return EXIT.ok;
  },
};
