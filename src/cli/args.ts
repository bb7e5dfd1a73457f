import { parseArgs, type ParseArgsConfig } from 'node:util';
import { usageError } from './io.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Node's parseArgs message, said plainly: which option, and what is wrong with it. */
function plain(e: Error & { code?: string }): string {
  const option = /'(?:-\w, )?(--?[\w-]+)/.exec(e.message)?.[1] ?? '';
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option ${option}`;
  if (/argument missing/.test(e.message)) return `option ${option} needs a value`;
  if (/does not take an argument/.test(e.message)) return `option ${option} takes no value`;
  return e.message;
}

/** parseArgs with our usage errors instead of Node's exceptions. */
export function parse<O extends Options>(command: string, args: string[], options: O) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw usageError(`${command}: ${plain(e as Error)}`, `run "docprov ${command} --help"`);
  }
}
