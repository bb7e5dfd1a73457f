import { normalise } from '../../core/normalise/index.js';
import { inputName, readInput } from '../../node/files.js';
import { parse } from '../args.js';
import type { Command } from '../command.js';
import { EXIT, usageError, warn } from '../io.js';

export const normaliseCommand: Command = {
  name: 'normalise',
  help: `Usage: docprov normalise FILE|- [--report]

Decodes FILE (or standard input for "-") as strict UTF-8 and prints its canonical text
(rules docprov-text/2) on standard output. Invisible characters (format controls, bidi marks,
zero-width characters, tags, fillers) are refused with their place, except three that are
converted and reported: a soft hyphen is removed, U+2028 and U+2029 become line breaks.

Options:
  --report   list every change made (rule, count, first location) on standard error
  --help     show this help

Exit: 0 done, 1 the text has invalid bytes or forbidden characters, 2 could not run.
`,
  run(args, io) {
    const { values, positionals } = parse('normalise', args, { report: { type: 'boolean' } });
    if (positionals.length !== 1)
      throw usageError(
        'normalise takes exactly one FILE (or - for standard input)',
        'run "docprov normalise --help"',
      );
    const file = positionals[0]!;
    const result = normalise(readInput(file), inputName(file));
    io.out(result.text);
    if (values.report) {
      io.err(
        `docprov: rules ${result.rules}: ${result.changes.length === 0 ? 'no changes' : `${result.changes.length} kinds of change`}\n`,
      );
      for (const c of result.changes)
        io.err(
          `docprov: change: ${c.rule} x${c.count}, first at line ${c.first.line}, column ${c.first.column}\n`,
        );
    }
    warn(io, result.warnings);
    return EXIT.ok;
  },
};
