// One hostile input: how to make it, how to hand it to `docprov verify`, and what must happen.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** `invalid` or `intact-untrusted`: that verdict (exit 1). `could-not-run`: a clear error (exit 2). */
export type HostileExpect = 'invalid' | 'intact-untrusted' | 'could-not-run';

export interface Made {
  file: string;
  args: string[];
  /** A file given as standard input. */
  stdin?: string;
}

export interface HostileCase {
  name: string;
  why: string;
  expect: HostileExpect;
  /** Writes the input into `dir`; returns the main path and the arguments after `verify`. */
  make: (dir: string) => Made | Promise<Made>;
}

/** A case whose input is one PDF file given as FILE. */
export function pdfCase(name: string, why: string, bytes: () => Uint8Array): HostileCase {
  return {
    name,
    why,
    expect: 'invalid',
    make: (dir) => {
      const file = join(dir, `${name}.pdf`);
      writeFileSync(file, bytes());
      return { file, args: [file] };
    },
  };
}
