import { packageVersion } from '../node/package-root.js';
import type { Command } from './command.js';
import { buildCommand } from './commands/build.js';
import { normaliseCommand } from './commands/normalise.js';
import { validateCommand } from './commands/validate.js';
import { EXIT, processIo, reportError, usageError, type Io } from './io.js';

const COMMANDS: Command[] = [normaliseCommand, validateCommand, buildCommand];

function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `docprov: document provenance: normalise, validate, build, sign and verify documents.

Usage: docprov <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Options:
  --help      show help (also after a command: docprov build --help)
  --version   print the version
  --debug     show a stack trace for internal errors

Exit codes: 0 ok, 1 invalid input or not authentic, 2 could not run.
`;
}

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const debug = argv.includes('--debug');
  const args = argv.filter((a) => a !== '--debug');
  try {
    const [name, ...rest] = args;
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      io.out(mainHelp());
      return name === undefined ? EXIT.unusable : EXIT.ok;
    }
    if (name === '--version' || name === '-V') {
      io.out(`docprov ${packageVersion()}\n`);
      return EXIT.ok;
    }
    const command = COMMANDS.find((c) => c.name === name);
    if (!command)
      throw usageError(
        `unknown command "${name}"`,
        'run "docprov --help" for the list of commands',
      );
    if (rest.includes('--help') || rest.includes('-h')) {
      io.out(command.help);
      return EXIT.ok;
    }
    return await command.run(rest, io);
  } catch (e) {
    return reportError(io, e, debug);
  }
}
