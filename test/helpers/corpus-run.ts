// Runs one corpus file through `docprov verify --json` and keeps what a baseline table needs.
import { appendFileSync, copyFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { hasStackTrace } from './cli.js';
import { measuredDocprov, type MeasuredRun } from './measured-run.js';

/** The limits issue 10 sets for every input. */
export const LIMITS = { seconds: 5, rssMb: 300 } as const;
/** Killed a little after the limit, so a slow run still reports how slow. */
const KILL_AFTER = Number(process.env.DOCPROV_CORPUS_KILL_AFTER ?? 8);

export interface CorpusRun extends MeasuredRun {
  verdict: string | undefined;
  /** The first failing check, or the error line: what the table shows as the reason. */
  reason: string;
  stackTrace: boolean;
}

export async function runCorpusFile(args: string[], stdinFile?: string): Promise<CorpusRun> {
  const r = await measuredDocprov(['verify', ...args, '--json'], KILL_AFTER, stdinFile);
  let verdict: string | undefined;
  let reason = r.killed ? `killed after ${KILL_AFTER} s` : '';
  try {
    const report = JSON.parse(r.stdout) as {
      verdict: string;
      checks: { id: string; status: string; code: string }[];
    };
    verdict = report.verdict;
    const fail = report.checks.find((c) => c.status === 'fail');
    reason = fail ? `${fail.id}: ${fail.code}` : '';
  } catch {
    if (!r.killed)
      reason = r.stderr.split('\n').find((l) => l.includes('error')) ?? r.stderr.slice(0, 120);
  }
  return { ...r, verdict, reason, stackTrace: hasStackTrace(r.stdout + r.stderr) };
}

/** With DOCPROV_CORPUS_TABLE=FILE set, each run adds a row to a Markdown table there. */
export function recordRow(cells: (string | number | undefined)[]): void {
  const file = process.env.DOCPROV_CORPUS_TABLE;
  if (file)
    appendFileSync(
      file,
      `| ${cells.map((c) => String(c ?? '').replace(/\|/g, '\\|')).join(' | ')} |\n`,
    );
}

/**
 * With DOCPROV_CORPUS_DIR=DIR set, a corpus is written to DIR/<kind> (kept after the run, with
 * an index.json) so that its files can be opened by hand; otherwise to a fresh temp folder.
 */
export function corpusDir(kind: string): string | undefined {
  const dir = process.env.DOCPROV_CORPUS_DIR;
  return dir ? join(dir, kind) : undefined;
}

export function writeIndex(dir: string | undefined, files: object[], extra: string[] = []): void {
  if (!dir) return;
  writeFileSync(
    join(dir, 'index.json'),
    JSON.stringify(files, (_k, v) => (v instanceof RegExp ? String(v) : v), 2),
  );
  for (const f of extra) copyFileSync(f, join(dir, basename(f)));
}
