import type { Report } from '../core/verify/report.js';

// The messages between the page and its verifier worker. Files travel as File objects (the
// worker reads them with Blob.slice); nothing but the report comes back.

export interface NamedFile {
  /** The name shown and matched against the manifest (no folder part). */
  name: string;
  file: Blob;
}

export interface VerifyJob {
  files: NamedFile[];
  /** What the report calls the files together: a dropped folder's name, else a description. */
  label: string;
  /** A pasted copy of the text: then the files give the manifest and the canonical text. */
  text?: string;
  /** Extra trust roots (PEM text), added to the built-in ones. */
  roots: NamedFile[];
  signerPin?: string;
  /** The clock, as ISO 8601 (tests fix it, as the CLI's --now does). */
  now?: string;
}

export type WorkerMessage =
  | { type: 'progress'; done: number; total: number }
  /** `pdf`: the index in `files` of the PDF verified, whose signed revision the page may show. */
  | { type: 'result'; report: Report; pdf?: number }
  | { type: 'error'; message: string; hint?: string };
