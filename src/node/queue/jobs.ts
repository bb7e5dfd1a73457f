// The queue's jobs: one a document. The job id is the document's name and its input digest
// (src/node/inputs.ts), so adding the same document twice adds nothing, while a changed one
// is a new job. A job carries its sources' bytes: a worker on another machine needs no copy of
// the source folders, only the shared output folder.

export const BUILD_QUEUE = 'docprov-build';
export const LEDGER_QUEUE = 'docprov-ledger';
export const JOB_FORMAT = 'docprov-job/1';

export interface BuildJobData {
  format: typeof JOB_FORMAT;
  /** The output folder's name: OUT/<name>/. */
  name: string;
  /** The sources' paths where they were added, for messages (the CLI's own wording). */
  sourceName: string;
  metadataName: string;
  /** The two files, base64. */
  source: string;
  metadata: string;
  /** SOURCE_DATE_EPOCH when added ('' for the clock): every retry builds the same bytes. */
  releaseTime: string;
  release: boolean;
  digest: string;
  /** Where the provenance says the sources come from, as the machine that added them saw it. */
  provenance: { sourcePath: string; gitCommit?: string };
}

export interface BuildJobResult {
  status: 'built' | 'unchanged';
  id: string;
  digest: string;
  ms: number;
}

export const jobId = (name: string, digest: string) => `${name}.${digest}`;

export interface LedgerEntryData {
  name: string;
  id: string;
  digest: string;
  /** SHA-256 of the published manifest.json. */
  manifest: string;
  job: string;
}
