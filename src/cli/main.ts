import { packageVersion } from '../node/package-root.js';
import type { Command } from './command.js';
import { EXIT, processIo, reportError, usageError, type Io } from './io.js';
import { runCommand } from './run-command.js';

// Commands load on demand: `normalise` should not pay for pdf-lib and HarfBuzz.
const COMMANDS: { name: string; summary: string; load: () => Promise<Command> }[] = [
  {
    name: 'normalise',
    summary: 'print the canonical text of a document',
    load: async () => (await import('./commands/normalise.js')).normaliseCommand,
  },
  {
    name: 'validate',
    summary: 'check metadata against the schema and the letter',
    load: async () => (await import('./commands/validate.js')).validateCommand,
  },
  {
    name: 'sign',
    summary: 'sign a PDF (PAdES certification, incremental update; B-T with a TSA)',
    load: async () => (await import('./commands/sign.js')).signCommand,
  },
  {
    name: 'verify',
    summary: 'verify a PDF, an artifact folder, or a text copy (offline)',
    load: async () => (await import('./commands/verify.js')).verifyCommand,
  },
  {
    name: 'timestamp',
    summary: 'renew the long-term proof of a PDF: validation data and a document timestamp',
    load: async () => (await import('./commands/timestamp.js')).timestampCommand,
  },
  {
    name: 'check',
    summary: 'CI gate: published artifacts verify and rebuild to the same bytes',
    load: async () => (await import('./commands/check.js')).checkCommand,
  },
  {
    name: 'provenance',
    summary: "say what a folder's SLSA provenance states, and check it against the folder",
    load: async () => (await import('./commands/provenance.js')).provenanceCommand,
  },
  {
    name: 'log',
    summary: 'the transparency log: consistency of two checkpoints, proofs, entries',
    load: async () => (await import('./commands/log.js')).logCommand,
  },
  {
    name: 'keys',
    summary: 'create or show the signing identity (development CA when none is configured)',
    load: async () => (await import('./commands/keys.js')).keysCommand,
  },
  {
    name: 'build',
    summary: 'build a document from its source folder, or every one of a folder of them',
    load: async () => (await import('./commands/build.js')).buildCommand,
  },
  {
    name: 'queue',
    summary: 'add documents to the build queue (BullMQ on Redis), or see what it holds',
    load: async () => (await import('./commands/queue.js')).queueCommand,
  },
  {
    name: 'worker',
    summary: 'build the queued documents (any number of workers, on any number of machines)',
    load: async () => (await import('./commands/worker.js')).workerCommand,
  },
];

function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `docprov: document provenance: normalise, validate, build, sign and verify documents.

Usage: docprov <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Options:
  --help      show help (also after a command: docprov build --help, or docprov help build)
  --version   print the version
  --debug     show a stack trace for internal errors

Exit codes: 0 ok, 1 invalid input or not authentic, 2 could not run.
`;
}

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const debug = argv.includes('--debug');
  const args = argv.filter((a) => a !== '--debug');
  try {
    let [name, ...rest] = args;
    // `docprov help verify` is `docprov verify --help`.
    if (name === 'help' && rest[0] !== undefined) [name, rest] = [rest[0], ['--help']];
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      // Asked for, help is output (stdout, exit 0); given no command, it is a usage error.
      (name === undefined ? io.err : io.out)(mainHelp());
      return name === undefined ? EXIT.unusable : EXIT.ok;
    }
    if (name === '--version' || name === '-V') {
      io.out(`docprov ${packageVersion()}\n`);
      return EXIT.ok;
    }
    const entry = COMMANDS.find((c) => c.name === name);
    if (!entry) {
      const meant = nearest(
        name,
        COMMANDS.map((c) => c.name),
      );
      throw usageError(
        `unknown command "${name}"`,
        meant
          ? `did you mean "docprov ${meant}"? (docprov --help lists the commands)`
          : 'run "docprov --help" for the list of commands',
      );
    }
    return await runCommand(await entry.load(), rest, io, debug);
  } catch (e) {
    return reportError(io, e, debug, argv.includes('--json'));
  }
}

/** The name a typo most likely meant: the one within two edits (Levenshtein), if exactly one is nearest. */
export function nearest(typed: string, names: readonly string[]): string | undefined {
  const distance = (a: string, b: string): number => {
    let row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      const next = [i];
      for (let j = 1; j <= b.length; j++)
        next[j] = Math.min(
          row[j]! + 1,
          next[j - 1]! + 1,
          row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
        );
      row = next;
    }
    return row[b.length]!;
  };
  const scored = names.map((n) => [n, distance(typed, n)] as const).filter(([, d]) => d <= 2);
  const best = Math.min(...scored.map(([, d]) => d));
  const at = scored.filter(([, d]) => d === best);
  return at.length === 1 ? at[0]![0] : undefined;
}
