import { parseArgs, type ParseArgsConfig } from 'node:util';
import { usageError } from './io.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** parseArgs with our usage errors instead of Node's exceptions. */
export function parse<O extends Options>(command: string, args: string[], options: O) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw usageError(`${command}: ${(e as Error).message}`, `run "docprov ${command} --help"`);
  }
}
