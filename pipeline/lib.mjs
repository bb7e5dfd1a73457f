// Shared by the pipeline scripts: paths, the docprov command, GitHub Actions log groups and summary.
import { createHash } from 'node:crypto';
import { appendFileSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export const root = path.resolve(import.meta.dirname, '..');
export const docprov = path.join(root, 'bin', 'docprov.js');
export const sourcesDir = path.join(root, 'pipeline', 'sources');
const actions = !!process.env.GITHUB_ACTIONS;

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

/** Appends a Markdown table to the job summary when running on GitHub Actions. */
export function jobSummary(title, rows) {
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
