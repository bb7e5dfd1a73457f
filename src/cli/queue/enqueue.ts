import { basename, resolve } from 'node:path';
import { DocprovError } from '../../core/errors.js';
import { signingChain } from '../../node/keys.js';
import { BUILD_QUEUE, JOB_FORMAT, jobId, type BuildJobData } from '../../node/queue/jobs.js';
import { askOnce, bullmq, redisOptions, unreachable, whenReady } from '../../node/queue/redis.js';
import { sourceFolders } from '../../node/tree.js';
import { buildDigester, readSources, type BuildOptions } from '../build-document.js';
import type { Problem } from '../../core/errors.js';
import { sourceOf } from '../../node/provenance-input.js';
import { EXIT, reportError, warn, type Io } from '../io.js';
import { jsonText, printable } from '../printable.js';

// `docprov queue add SOURCES`: one job a document, its id the document's name and input digest.
// Adding needs the signing certificate (it names the key in the digest), never the key.

const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');

export async function enqueue(
  dir: string,
  io: Io,
  flags: { json: boolean; release: boolean },
): Promise<number> {
  const { url, options } = redisOptions();
  const names = sourceFolders(dir);
  const folders = names.length > 0 ? names.map((n) => resolve(dir, n)) : [resolve(dir)];
  const releaseTime = process.env.SOURCE_DATE_EPOCH ?? '';
  const buildOptions: BuildOptions = {
    release: flags.release,
    revocation: [],
    trust: [],
    renewTimestamps: false,
    releaseTime,
  };
  const digestOf = buildDigester({
    options: buildOptions,
    sourceDateEpoch: releaseTime || undefined,
    chain: await signingChain(),
  });
  const bull = bullmq();
  const queue = new bull.Queue(BUILD_QUEUE, { connection: askOnce(options) });
  try {
    await whenReady(queue, url);
    const rows: { name: string; job?: string; state: string }[] = [];
    const fresh: { name: string; data: BuildJobData; opts: { jobId: string } }[] = [];
    let failed = 0;
    for (const folder of folders) {
      const name = basename(folder);
      let data: BuildJobData;
      try {
        const files = readSources(folder);
        const digest = digestOf(files);
        const warnings: Problem[] = [];
        const provenance = sourceOf(
          folder,
          { 'source.txt': files.source, 'metadata.json': files.metadata },
          warnings,
        );
        warn(io, warnings);
        data = {
          format: JOB_FORMAT,
          name,
          sourceName: files.sourceName,
          metadataName: files.metadataName,
          source: b64(files.source),
          metadata: b64(files.metadata),
          releaseTime,
          release: flags.release,
          digest,
          provenance,
        };
      } catch (e) {
        failed++;
        reportError(io, e, false);
        rows.push({ name, state: 'not added: its sources cannot be read' });
        continue;
      }
      const id = jobId(name, data.digest);
      const existing = await queue.getJob(id);
      if (existing)
        rows.push({ name, job: id, state: `already queued (${await existing.getState()})` });
      else {
        fresh.push({ name: BUILD_QUEUE, data, opts: { jobId: id } });
        rows.push({ name, job: id, state: 'added' });
      }
    }
    await queue.addBulk(
      fresh.map((j) => ({
        ...j,
        opts: {
          ...j.opts,
          attempts: 3,
          backoff: { type: 'exponential', delay: 1000 },
          removeOnComplete: false,
          removeOnFail: false,
        },
      })),
    );
    const added = rows.filter((r) => r.state === 'added').length;
    if (flags.json) io.out(jsonText({ format: 'docprov-queue-add/1', redis: url, jobs: rows }));
    else {
      if (rows.length <= 20)
        for (const r of rows) io.out(printable(`${r.state.padEnd(28)} ${r.job ?? r.name}`) + '\n');
      io.out(
        `queue: ${rows.length} document(s): ${added} added, ${rows.length - added - failed} already queued, ${failed} not added (${url})\n`,
      );
    }
    return failed > 0 ? EXIT.invalid : EXIT.ok;
  } catch (e) {
    if (e instanceof DocprovError) throw e;
    throw unreachable(url, e);
  } finally {
    await queue.close().catch(() => {});
  }
}
