import { join, resolve } from 'node:path';
import { isCurrent } from '../../node/inputs.js';
import { sourceFolders } from '../../node/tree.js';
import { tsaUrls } from '../../node/tsa-client.js';
import {
  buildDigester,
  buildSetup,
  logFor,
  readSources,
  sayNoTimestamp,
  type BuildOptions,
} from '../build-document.js';
import { announceIdentity, announceLogKey } from '../identity.js';
import { EXIT, usageError, type Io } from '../io.js';
import { jsonText } from '../printable.js';
import { build } from './build-task.js';
import { poolSize } from './pool.js';
import { Progress } from './progress.js';
import { runAll } from './run-all.js';
import type { BuildOutcome, BuildTask } from './tasks.js';

// `docprov build SOURCES -o OUT`: every source folder into OUT/<name>/, on a pool of worker
// threads; a document whose inputs have not changed since its folder was built is kept.

export async function buildTree(
  dir: string,
  out: string,
  options: BuildOptions,
  io: Io,
  flags: { force: boolean; json: boolean; jobs?: string },
): Promise<number> {
  if (options.reuseTimestamps || options.renewTimestamps)
    throw usageError(
      `${options.reuseTimestamps ? '--reuse-timestamps' : '--renew-timestamps'} is for one document`,
      'build that document alone: docprov build SOURCES/NAME -o OUT/NAME ...',
    );
  const threads = poolSize(flags.jobs);
  const names = sourceFolders(dir);
  // Every thread builds at the release time this run began with.
  const setup = await buildSetup({ ...options, releaseTime: process.env.SOURCE_DATE_EPOCH ?? '' });
  const digestOf = buildDigester({ ...setup, chain: setup.identity.chain });
  // Every document of the tree is entered in one log (OUT/log unless --log): its key is made or
  // read here, once, and said once.
  const log = logFor(setup.options, join(out, '_'));
  const progress = new Progress(names.length, io, !flags.json);
  const outcomes: BuildOutcome[] = [];
  const tasks: BuildTask[] = [];
  for (const name of names) {
    let digest: string | undefined;
    try {
      digest = digestOf(readSources(join(dir, name)));
    } catch {
      digest = undefined; // unreadable sources: its build says why
    }
    const target = join(out, name);
    if (!flags.force && digest && isCurrent(target, digest)) {
      outcomes.push({ name, status: 'unchanged', ms: 0, exit: EXIT.ok, stderr: '' });
      progress.done('unchanged', `unchanged  ${name}`);
      continue;
    }
    tasks.push({
      name,
      source: resolve(dir, name),
      out: resolve(target),
      options: setup.options,
      digest,
      force: flags.force,
    });
  }
  if (tasks.length > 0 && tsaUrls().length === 0) sayNoTimestamp(setup, io);
  const finished = (o: BuildOutcome) => {
    outcomes.push(o);
    const label = o.status === 'failed' ? 'FAILED' : o.status;
    progress.done(
      o.status,
      `${label.padEnd(10)} ${o.name}${o.status === 'failed' ? '' : `  ${o.ms.toFixed(0)} ms`}`,
      o.stderr,
    );
  };
  // One document is built here; more go to the pool (its threads cost more than one build).
  const used = await runAll('build', tasks, threads, build, finished);
  progress.finish();
  const { tally, seconds } = progress.summary();
  const count = (s: string) => tally[s] ?? 0;
  if (count('built') > 0) {
    announceIdentity(io, setup.identity);
    announceLogKey(io, log.id, setup.identity.development);
  }
  outcomes.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const summary = {
    documents: names.length,
    built: count('built'),
    unchanged: count('unchanged'),
    failed: count('failed'),
    seconds: Number(seconds.toFixed(3)),
    threads: used,
  };
  if (flags.json)
    io.out(
      jsonText({
        format: 'docprov-build-run/1',
        out,
        development: setup.identity.development,
        summary,
        documents: outcomes,
      }),
    );
  else
    io.out(
      `build: ${names.length} document(s) in ${seconds.toFixed(1)} s: ${summary.built} built, ${summary.unchanged} unchanged, ${summary.failed} failed (${summary.threads} thread${summary.threads === 1 ? '' : 's'})\n`,
    );
  return summary.failed > 0 ? EXIT.invalid : EXIT.ok;
}
