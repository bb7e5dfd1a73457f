import { closeTokens } from '../node/pkcs11/session.js';
import type { Command } from './command.js';
import { EXIT, processIo, reportError, type Io } from './io.js';

/** Runs one command on the arguments after its name: `--help`, errors and exit code as in `main`. */
export async function runCommand(
  command: Command,
  rest: string[],
  io: Io = processIo,
  debug = false,
): Promise<number> {
  try {
    if (rest.includes('--help') || rest.includes('-h')) {
      io.out(command.help);
      return EXIT.ok;
    }
    return await command.run(rest, io);
  } catch (e) {
    return reportError(io, e, debug, rest.includes('--json'));
  } finally {
    // A token session a command opened ends with it (exit and signals close it too).
    closeTokens();
  }
}

/**
 * The entry point of a one-command bundle (scripts/bundle.mjs): `argv` starts with the command's
 * name, as the full command line would, so both paths parse it the same way.
 */
export function commandLine(command: Command): (argv: string[], io?: Io) => Promise<number> {
  return (argv, io = processIo) =>
    runCommand(command, argv.filter((a) => a !== '--debug').slice(1), io, argv.includes('--debug'));
}
