#!/usr/bin/env node
// npm run pipeline: build every document in pipeline/sources/ into out/<id>/ with `docprov build`.
import { $, fs, path, chalk } from 'zx';

$.verbose = false;
$.quiet = true;
const root = path.resolve(import.meta.dirname, '..');
const docprov = path.join(root, 'bin', 'docprov.js');
const sourcesDir = path.join(root, 'pipeline', 'sources');
const outDir = process.env.DOCPROV_OUT ?? path.join(root, 'out');

const ids = (await fs.readdir(sourcesDir, { withFileTypes: true }))
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();
if (ids.length === 0) {
  console.error(`docprov: error: no source folders in ${sourcesDir}`);
  process.exit(2);
}

let failed = 0;
for (const id of ids) {
  const t0 = performance.now();
  console.log(chalk.bold(`== ${id}`));
  const run = await $({
    nothrow: true,
  })`node ${docprov} build ${path.join(sourcesDir, id)} -o ${path.join(outDir, id)} --json`;
  process.stderr.write(run.stderr);
  if (run.exitCode !== 0) {
    failed++;
    console.log(`${id}: ${chalk.red('FAILED')} (exit ${run.exitCode})`);
    continue;
  }
  const report = JSON.parse(run.stdout);
  for (const s of report.stages)
    console.log(`  ${s.stage.padEnd(10)} ${chalk.green('ok')}  ${s.ms.toFixed(1).padStart(7)} ms`);
  for (const f of report.files)
    console.log(`  wrote ${path.relative(root, path.join(report.out, f.name))} (${f.size} bytes)`);
  console.log(
    `  ${id}: done in ${(performance.now() - t0).toFixed(0)} ms (wall, including start-up)`,
  );
}
console.log(
  failed === 0
    ? chalk.green(`pipeline: ${ids.length} document(s) built`)
    : chalk.red(`pipeline: ${failed} of ${ids.length} failed`),
);
process.exit(failed === 0 ? 0 : 1);
