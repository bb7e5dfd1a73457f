// Shared by the pipeline scripts: paths, the docprov command, GitHub Actions log groups and summary.
import { createHash } from 'node:crypto';
import { appendFileSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { chalk } from 'zx';

export const root = path.resolve(import.meta.dirname, '..');
export const docprov = path.join(root, 'bin', 'docprov.cjs');
export const sourcesDir = path.join(root, 'pipeline', 'sources');
const actions = !!process.env.GITHUB_ACTIONS;
// no-color.org: a set, non-empty NO_COLOR means no colour, even on a terminal.
if (process.env.NO_COLOR) chalk.level = 0;

export function sourceIds() {
  return readdirSync(sourcesDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

/** A titled block of log output: folded into a group on GitHub Actions. */
export async function group(title, run) {
  console.log(actions ? `::group::${title}` : `== ${title}`);
  try {
    return await run();
  } finally {
    if (actions) console.log('::endgroup::');
  }
}

/** The files of a built folder: name, size, SHA-256. */
export function describeFolder(dir) {
  return readdirSync(dir)
    .filter((n) => statSync(path.join(dir, n)).isFile())
    .sort()
    .map((name) => {
      const bytes = readFileSync(path.join(dir, name));
      return { name, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
    });
}

/** Appends a table of a built folder's files to the job summary on GitHub Actions; the verdict goes on the PDF. */
export function jobSummary(title, files, pdfVerdict) {
  const rows = files.map((f) => ({
    file: f.name,
    size: f.size,
    sha256: f.sha256,
    verdict: f.name.endsWith('.pdf') ? pdfVerdict : '',
  }));
  const file = process.env.GITHUB_STEP_SUMMARY;
  if (!file) return;
  const lines = [
    `### ${title}`,
    '',
    '| file | size | SHA-256 | verdict |',
    '| --- | ---: | --- | --- |',
  ];
  for (const r of rows) lines.push(`| ${r.file} | ${r.size} | \`${r.sha256}\` | ${r.verdict} |`);
  appendFileSync(file, lines.join('\n') + '\n\n');
}
