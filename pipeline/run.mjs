#!/usr/bin/env node
// npm run pipeline [-- SOURCES [OUT]] [--force]: build, sign and verify every document in
// SOURCES (default pipeline/sources/) into OUT/<name>/ (default out/, or DOCPROV_OUT), in one
// docprov process on a pool of worker threads. A document whose inputs did not change is kept.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { chalk } from 'zx';
import { describeFolder, docprov, group, jobSummary, root, sourcesDir } from './lib.mjs';

const args = process.argv.slice(2);
// Options for docprov build (--jobs takes a value), and the words SOURCES and OUT.
const flags = [];
const words = [];
for (let i = 0; i < args.length; i++)
  if (args[i] === '--jobs') flags.push(args[i], args[++i] ?? '');
  else (args[i].startsWith('-') ? flags : words).push(args[i]);
const [sources = sourcesDir, outDir = process.env.DOCPROV_OUT ?? path.join(root, 'out')] = words;
const refuse = (message, hint) => {
  console.error(`docprov: error: ${message}`);
  console.error(`docprov: hint: ${hint}`);
  process.exit(2);
};
// Said before anything is built: the pipeline takes a folder of source folders, and an OUT.
if (words.length > 2)
  refuse(
    `the pipeline takes SOURCES and OUT, not also ${words.slice(2).join(' ')}`,
    'npm run pipeline -- SOURCES OUT',
  );
for (const flag of flags.filter((f, i) => flags[i - 1] !== '--jobs'))
  if (!['--force', '--jobs', '--release'].includes(flag.split('=')[0]))
    refuse(
      `the pipeline does not take ${flag}`,
      'its options: --force, --jobs N (docprov build --help)',
    );
if (existsSync(path.join(sources, 'source.txt')))
  refuse(
    `${sources} is one source folder; the pipeline takes the folder that holds them`,
    `npm run pipeline -- ${path.dirname(sources)}, or docprov build ${sources} -o OUT for this one alone`,
  );

// The progress bar (on a terminal) and every document's errors go straight to our stderr; the
// report of each document comes back as JSON on stdout.
const child = spawn(
  process.execPath,
  [docprov, 'build', sources, '-o', outDir, '--json', ...flags],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
let stdout = '';
child.stdout.on('data', (d) => (stdout += d));
const [code, signal] = await new Promise((done) => child.on('close', (c, s) => done([c, s])));
let run;
try {
  run = JSON.parse(stdout);
} catch {
  console.log(
    signal
      ? `pipeline: ${chalk.red('FAILED')} (docprov was killed by ${signal}); the next docprov run restores any folder it was publishing, and says how`
      : `pipeline: ${chalk.red('FAILED')} (exit ${code}); see the errors above`,
  );
  process.exit(code === 0 ? 2 : (code ?? 2));
}
if (!run.documents) {
  // docprov built one document (its own report, not a run's): said above, so not reached.
  console.log(`pipeline: ${chalk.red('FAILED')}: docprov did not report a run of documents`);
  process.exit(2);
}

// Few documents: each in its own (foldable) group with its stages and files; many: a line each.
const detailed = run.documents.length <= 20;
for (const d of run.documents) {
  const out = path.join(outDir, d.name);
  if (d.status === 'failed') {
    console.log(`  ${d.name}: ${chalk.red('FAILED')} (exit ${d.exit}); ${out} was left as it was`);
    continue;
  }
  if (!detailed) {
    console.log(`  ${d.name}: ${d.status}${d.ms ? ` in ${d.ms.toFixed(0)} ms` : ''}`);
    continue;
  }
  await group(d.name, async () => {
    for (const s of d.stages ?? [])
      console.log(
        `  ${s.stage.padEnd(10)} ${chalk.green('ok')}  ${s.ms.toFixed(1).padStart(7)} ms`,
      );
    const files = describeFolder(out);
    for (const f of files)
      console.log(
        `  ${path.relative(root, path.join(out, f.name)).padEnd(52)} ${String(f.size).padStart(7)}  ${f.sha256.slice(0, 16)}`,
      );
    // The self-check trusted the local development CA and its CRL of now; a reader's verify does not.
    const verdict =
      d.status === 'unchanged'
        ? 'unchanged since it was built (its inputs are the same); docprov build --force rebuilds it'
        : !run.development || d.verdict === undefined
          ? d.verdict
          : `${d.verdict} at build time, to the development CA and a CRL it issued then (a reader gets "intact but not trusted": nobody trusts that CA; docprov keys crl, in docprov keys --help, checks it later)`;
    console.log(`  ${d.name}: ${verdict}`);
    jobSummary(`docprov pipeline: ${d.name}`, files, verdict);
  });
}
const s = run.summary;
console.log(
  s.failed === 0
    ? chalk.green(
        `pipeline: ${s.built} document(s) built, signed and verified${s.unchanged ? `, ${s.unchanged} unchanged (their inputs are the same)` : ''}, in ${s.seconds.toFixed(1)} s`,
      )
    : chalk.red(`pipeline: ${s.failed} of ${run.documents.length} failed`),
);
process.exit(code ?? 1);
