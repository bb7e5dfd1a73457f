import type { Io } from './io.js';

export interface Command {
  name: string;
  /** Full help text, shown by `docprov <name> --help`. */
  help: string;
  run(args: string[], io: Io): Promise<number> | number;
}
