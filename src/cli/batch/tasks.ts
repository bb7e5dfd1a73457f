import type { StageReport } from '../../core/build/index.js';
import type { Report } from '../../core/verify/report.js';
import type { BuildOptions, SourceFiles } from '../build-document.js';
import type { DocumentFindings } from '../check-document.js';

// What the main thread sends the pool's workers, and what comes back: plain data only.

export type TaskName = 'build' | 'verify' | 'check';

export interface BuildTask {
  name: string;
  /** A source folder, or its files' bytes (a queue job carries them). */
  source: string | SourceFiles;
  out: string;
  options: BuildOptions;
  digest: string | undefined;
  /** Publish even when the folder already holds this very build. */
  force: boolean;
}

/** What one document's run left on standard error: notes, warnings, or its error, as the CLI says them. */
export interface Said {
  /** Exit code of this document alone: 0, 1 (invalid), 2 (could not run). */
  exit: number;
  stderr: string;
  /** The error's code, when it failed. */
  code?: string;
  /** The error as `--json` prints it (schemas/error.schema.json), when it failed. */
  error?: { format: 'docprov-error/1'; exitCode: number; error: { code: string; message: string } };
}

export interface BuildOutcome extends Said {
  name: string;
  status: 'built' | 'unchanged' | 'failed';
  ms: number;
  id?: string;
  verdict?: string;
  stages?: StageReport[];
  files?: { name: string; size: number }[];
}

export interface VerifyTask {
  name: string;
  path: string;
  trust: string[];
  /** --revocation files, read beside the shipped ones. */
  revocation: string[];
  signer?: string;
  now: string;
}

export interface VerifyOutcome extends Said {
  name: string;
  ms: number;
  report?: Report;
}

export interface CheckTask {
  name: string;
  artifacts: string;
  sources: string;
  now: string;
}

export interface CheckOutcome extends Said {
  name: string;
  ms: number;
  /** What the document's verification and rebuild found (none when the task itself failed). */
  findings?: DocumentFindings;
}
