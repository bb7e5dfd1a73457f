import { DocprovError, formatLocation, type Problem } from '../core/errors.js';
import { fileError, isFileSystemError } from '../node/files.js';
import { jsonText, printable } from './printable.js';

/** Exit codes: 0 ok, 1 the input is invalid (or not authentic), 2 could not run. */
export const EXIT = { ok: 0, invalid: 1, unusable: 2 } as const;

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

// A reader that stops early (`docprov verify X | head -1`) closes the pipe: not an error, and
// never a stack trace. The command still ends with its own exit code.
let pipeWatched = false;
function watchPipes(): void {
  if (pipeWatched) return;
  pipeWatched = true;
  for (const stream of [process.stdout, process.stderr])
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') return;
      process.exitCode = EXIT.unusable;
    });
}

export const processIo: Io = {
  out: (text) => {
    watchPipes();
    process.stdout.write(text);
  },
  err: (text) => {
    watchPipes();
    process.stderr.write(text);
  },
};

/** Bytes to standard output (`-o -`), resolved once the stream has taken them. */
export function writeStdout(bytes: Uint8Array): Promise<void> {
  watchPipes();
  return new Promise((done) => {
    process.stdout.write(bytes, () => done());
  });
}

function problemLine(p: Problem): string {
  const where = p.location ? `${formatLocation(p.location)}: ` : '';
  return `${where}${p.message}`;
}

/** The error lines of a DocprovError: each location once, the summary only when it adds to it. */
function errorLines(e: DocprovError): string[] {
  const [only, ...more] = e.problems;
  if (only && more.length === 0 && (only.location || only.message === e.message))
    return [problemLine(only)];
  // The same problem found twice (a chain checked for the manifest and for the PDF) is said once.
  return [
    ...new Set([
      e.message,
      ...e.problems.filter((p) => p.location || p.message !== e.message).map(problemLine),
    ]),
  ];
}

// What a failed system call was doing, in words.
const VERB: Record<string, string> = {
  open: 'open',
  read: 'read',
  write: 'write',
  scandir: 'list',
  stat: 'read',
  lstat: 'read',
  mkdir: 'create the folder',
  mkdtemp: 'create a folder in',
  rename: 'rename',
  unlink: 'remove',
  rmdir: 'remove',
  rm: 'remove',
  copyfile: 'copy',
  fsync: 'write',
};

/** Prints `docprov: error:` lines for every problem, then the hints, and returns the exit code. */
/**
 * With --json an error is data on stdout too (schemas/error.schema.json), so a script reading
 * stdout always gets JSON; the exit code and the lines on stderr stay as they are.
 */
function jsonError(
  io: Io,
  code: string,
  exit: number,
  message: string,
  hints: string[],
  problems: readonly Problem[],
): void {
  const data = {
    format: 'docprov-error/1',
    exitCode: exit,
    error: { code, message, ...(hints.length ? { hints } : {}) },
    problems: problems.map((p) => ({
      code: p.code,
      message: p.message,
      ...(p.location ? { location: p.location } : {}),
      ...(p.hint ? { hint: p.hint } : {}),
    })),
  };
  io.out(jsonText(data));
}

export function reportError(io: Io, e: unknown, debug: boolean, json = false): number {
  // The operating system's file errors reaching here are ordinary problems too.
  const err =
    !(e instanceof DocprovError) && isFileSystemError(e) && e.path
      ? fileError(e, VERB[e.syscall ?? ''] ?? 'use', e.path)
      : e;
  if (err instanceof DocprovError) {
    const lines = errorLines(err).map((l) => `docprov: error: ${printable(l)}`);
    const hints = new Set(
      [err.hint, ...err.problems.map((p) => p.hint)].filter((h): h is string => !!h),
    );
    for (const h of hints) lines.push(`docprov: hint: ${printable(h)}`);
    if (debug && err.stack) lines.push(err.stack);
    io.err(lines.join('\n') + '\n');
    const exit = err.severity === 'invalid' ? EXIT.invalid : EXIT.unusable;
    if (json) jsonError(io, err.code, exit, err.message, [...hints], err.problems);
    return exit;
  }
  const message = e instanceof Error ? e.message : String(e);
  io.err(`docprov: error: internal error: ${printable(message)}\n`);
  io.err('docprov: hint: this is a bug in docprov; run again with --debug and report the output\n');
  if (debug && e instanceof Error && e.stack) io.err(e.stack + '\n');
  if (json) jsonError(io, 'internal-error', EXIT.unusable, `internal error: ${message}`, [], []);
  return EXIT.unusable;
}

export function warn(io: Io, problems: readonly Problem[]): void {
  for (const p of problems) {
    io.err(`docprov: warning: ${printable(problemLine(p))}\n`);
    if (p.hint) io.err(`docprov: hint: ${printable(p.hint)}\n`);
  }
}

/** A short note on stderr about something docprov did on its own (a recovery, a lock). */
export function note(io: Io, message: string): void {
  io.err(`docprov: ${printable(message)}\n`);
}

export function usageError(message: string, hint: string): DocprovError {
  return new DocprovError('usage', message, { severity: 'unusable', hint });
}
