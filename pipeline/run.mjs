#!/usr/bin/env node
// npm run pipeline: build, sign and verify every document in pipeline/sources/ into out/<id>/.
import path from 'node:path';
import { $, chalk } from 'zx';
import { describeFolder, docprov, group, jobSummary, root, sourceIds, sourcesDir } from './lib.mjs';

$.verbose = false;
$.quiet = true;
const outDir = process.env.DOCPROV_OUT ?? path.join(root, 'out');
const ids = sourceIds();
if (ids.length === 0) {
  console.error(`docprov: error: no source folders in ${sourcesDir}`);
  process.exit(2);
}

let failed = 0;
for (const id of ids) {
  await group(id, async () => {
    const t0 = performance.now();
    const out = path.join(outDir, id);
    const run = await $({
      nothrow: true,
    })`node ${docprov} build ${path.join(sourcesDir, id)} -o ${out} --log ${path.join(outDir, 'log')} --json`;
    process.stderr.write(run.stderr);
    if (run.exitCode !== 0) {
      failed++;
      console.log(
        run.signal
          ? `  ${id}: ${chalk.red('FAILED')} (killed by ${run.signal}); the next docprov run restores ${out} and says how`
          : `  ${id}: ${chalk.red('FAILED')} (exit ${run.exitCode}); ${out} was left as it was`,
      );
      return;
    }
    const report = JSON.parse(run.stdout);
    for (const s of report.stages)
      console.log(
        `  ${s.stage.padEnd(10)} ${chalk.green('ok')}  ${s.ms.toFixed(1).padStart(7)} ms`,
      );
    const files = describeFolder(out);
    for (const f of files)
      console.log(
        `  ${path.relative(root, path.join(out, f.name)).padEnd(52)} ${String(f.size).padStart(7)}  ${f.sha256.slice(0, 16)}`,
      );
    // The self-check trusted the local development CA; a reader's verify does not.
    const verdict = report.development
      ? `${report.verdict} with the development CA trusted (readers get "intact but not trusted")`
      : report.verdict;
    console.log(`  ${id}: ${verdict} in ${(performance.now() - t0).toFixed(0)} ms wall`);
    jobSummary(`docprov pipeline: ${id}`, files, verdict);
  });
}
console.log(
  failed === 0
    ? chalk.green(`pipeline: ${ids.length} document(s) built, signed and verified`)
    : chalk.red(`pipeline: ${failed} of ${ids.length} failed`),
);
process.exit(failed === 0 ? 0 : 1);
