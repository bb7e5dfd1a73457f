// Errors are data: a code the CLI switches on, a sentence for people, a hint, and a location.

/** Where in an input a problem is: 1-based line and column (in code points), byte offset if known. */
export interface Location {
  file?: string;
  line: number;
  column: number;
  offset?: number;
  pointer?: string;
}

export interface Problem {
  code: string;
  message: string;
  hint?: string;
  location?: Location;
}

/** `invalid`: the input is wrong (exit 1). `unusable`: the tool could not run (exit 2). */
export type Severity = 'invalid' | 'unusable';

export class DocprovError extends Error {
  readonly code: string;
  readonly severity: Severity;
  readonly problems: readonly Problem[];
  readonly hint: string | undefined;

  constructor(
    code: string,
    message: string,
    opts: { severity?: Severity; hint?: string; problems?: Problem[]; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'DocprovError';
    this.code = code;
    this.severity = opts.severity ?? 'invalid';
    this.hint = opts.hint;
    this.problems = opts.problems ?? [{ code, message, ...(opts.hint ? { hint: opts.hint } : {}) }];
  }
}

/** Formats a location as `file:line:column` for messages. */
export function formatLocation(loc: Location): string {
  const where = `${loc.line}:${loc.column}`;
  return loc.file ? `${loc.file}:${where}` : `line ${loc.line}, column ${loc.column}`;
}

/** U+XXXX notation for a code point. */
export function codePointName(cp: number): string {
  return 'U+' + cp.toString(16).toUpperCase().padStart(4, '0');
}

/**
 * The same error with its locations moved into `file`, and their lines through `line` (for
 * errors found in a derived text, such as the canonical text, that a reader knows by its source).
 */
export function relocate(
  e: DocprovError,
  file: string | undefined,
  line: (n: number) => number = (n) => n,
): DocprovError {
  const problems = e.problems.map((p) =>
    p.location
      ? {
          ...p,
          location: {
            ...p.location,
            ...(file !== undefined ? { file } : {}),
            line: line(p.location.line),
          },
        }
      : p,
  );
  return new DocprovError(e.code, e.message, {
    severity: e.severity,
    ...(e.hint !== undefined ? { hint: e.hint } : {}),
    problems,
    cause: e,
  });
}
