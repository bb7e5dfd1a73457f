import { otherEntries } from '../../node/tree.js';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { nodeCrypto } from '../../node/crypto.js';
import { readInput } from '../../node/files.js';
import { PACKAGE_ROOT } from '../../node/package-root.js';
import { parse } from '../args.js';
import type { Command } from '../command.js';
import { recoverInterrupted } from '../../node/atomic.js';
import { auditLog, type LogView } from '../../core/tlog/log.js';
import { parseVerifierKey, sameKey, type NoteKey } from '../../core/tlog/note.js';
import { entryOfManifest, formatEntry } from '../../core/tlog/entry.js';
import { parseTlogProof } from '../../core/tlog/proof-file.js';
import { LOG_PROOF_FILE } from '../../core/verify/log-inclusion.js';
import { historyPath } from '../../core/tlog/log.js';
import { acquireLock } from '../../node/lock.js';
import { historyNames, logReader, recoverLog } from '../../node/transparency-log.js';
import { loadLogKeys } from '../../node/trust-store.js';
import { EXIT, note, usageError, warn } from '../io.js';
import { check } from '../batch/check-task.js';
import { poolSize } from '../batch/pool.js';
import { Progress } from '../batch/progress.js';
import { runAll } from '../batch/run-all.js';
import { table } from '../batch/table.js';
import type { CheckOutcome } from '../batch/tasks.js';
import { pageProblem, PAGE } from '../page-check.js';
import { jsonText, printable } from '../printable.js';

// The fixes a maintainer runs: npm scripts in a clone; docprov's own commands where it was
// installed as a package (there is no pipeline/ there).
const IN_CLONE = existsSync(join(PACKAGE_ROOT, 'pipeline', 'regenerate.mjs'));
const FIX = IN_CLONE
  ? 'DOCPROV_SIGNING_KEY=... DOCPROV_SIGNING_CERT=... DOCPROV_LOG_KEY=... npm run regenerate'
  : 'DOCPROV_SIGNING_KEY=... DOCPROV_SIGNING_CERT=... DOCPROV_LOG_KEY=... DOCPROV_TSA_URL=... docprov build SOURCES/<id> -o ARTIFACTS/<id> --release';
const RENEW = IN_CLONE
  ? 'DOCPROV_SIGNING_KEY=... DOCPROV_SIGNING_CERT=... DOCPROV_LOG_KEY=... DOCPROV_TSA_URL=... npm run regenerate -- --renew-timestamps'
  : 'DOCPROV_TSA_URL=... docprov timestamp ARTIFACTS/<id>/<id>.pdf, then rebuild the folder with docprov build --reuse-timestamps';
const ROTATE = IN_CLONE
  ? 'a current certificate under the same root in DOCPROV_SIGNING_KEY/DOCPROV_SIGNING_CERT, then npm run regenerate -- --new-release-time'
  : 'a current certificate under the same root in DOCPROV_SIGNING_KEY/DOCPROV_SIGNING_CERT, then docprov build with a new SOURCE_DATE_EPOCH';
const RENEW_WITHIN_DAYS = 180;
const same = (a: Uint8Array | undefined, b: Uint8Array | undefined) =>
  !!a && !!b && a.length === b.length && a.every((x, i) => x === b[i]);

export const checkCommand: Command = {
  name: 'check',
  help: `Usage: docprov check ARTIFACTS_DIR [--sources DIR] [--allow-pending-revocation]
       docprov check ARTIFACTS_DIR/<id>   (one document folder)

CI's gate for the published artifacts. For every document folder in ARTIFACTS_DIR:
  1. it verifies as a reader would, against the shipped trust store only (no --trust);
  2. it is what its sources make: rebuilt from SOURCES/<id> with the manifest's build time, the
     typeset PDF must equal the published PDF's signed revision byte for byte, and the text and
     metadata artifacts must equal the normalised sources.
  3. it is in the transparency log ARTIFACTS_DIR/log: its entry at the index its proof
     names, proven against a checkpoint the log kept.
The log itself is audited: signed by its key (trust/logs/, else the one the manifests name),
its tiles rebuild its checkpoint's root, and every checkpoint it kept (checkpoints/<size>) is
consistent with the newest: nothing published was ever removed or changed.
Every source folder must have its artifacts. A stale artifact is named with the fix. The
verification page, ARTIFACTS_DIR/verify.html, must equal dist/verify.html, which npm run build
makes from the sources.

Options:
  --sources DIR   the source folders (default: pipeline/sources beside ARTIFACTS_DIR)
  --now DATE      check as of this time (ISO 8601), instead of the clock
  --allow-pending-revocation
                  accept a document that is intact and would be authentic but for revocation
                  data its CA has not issued yet (verify says "not yet proven"): named, not hidden
  -j, --jobs N    check N documents at once, each on a thread (default: one a core)
  --json          print one result a document (and the log's, the page's) as JSON
  --help          show this help

The documents are verified and rebuilt in parallel; with more than one, a table sums them up.

A document whose newest proof (a timestamp's, or its signer's certificate) expires within 180
days is named with the command that renews it.

Exit: 0 all current and authentic, 1 something is stale or does not verify, 2 could not run.
`,
  async run(args, io) {
    const { values, positionals } = parse('check', args, {
      sources: { type: 'string' },
      now: { type: 'string' },
      'allow-pending-revocation': { type: 'boolean' },
      jobs: { type: 'string', short: 'j' },
      json: { type: 'boolean' },
    });
    if (positionals.length !== 1)
      throw usageError('check takes ARTIFACTS_DIR', 'run "docprov check --help"');
    let artifacts = resolve(positionals[0]!);
    if (!existsSync(artifacts) || !statSync(artifacts).isDirectory())
      throw usageError(
        `${artifacts} is not a folder`,
        'give the artifacts folder, e.g. artifacts/',
      );
    // One document folder given: it is checked alone, from the artifacts folder it is in.
    const only = existsSync(join(artifacts, 'manifest.json')) ? basename(artifacts) : undefined;
    if (only) artifacts = dirname(artifacts);
    const sources = resolve(values.sources ?? join(artifacts, '..', 'pipeline', 'sources'));
    // A publish a crash interrupted is finished first (and said); then only documents remain:
    // locks and temporary folders are hidden (".") and never taken for an artifact.
    recoverInterrupted(artifacts, (message) => note(io, message));
    const ids = only
      ? [only]
      : readdirSync(artifacts)
          .filter(
            (n) =>
              !n.startsWith('.') &&
              statSync(join(artifacts, n)).isDirectory() &&
              // The log is the folder named log, and only that: another folder is a document.
              n !== LOG,
          )
          .sort();
    // A folder that holds no document folder at all is not an artifacts folder (the clone's
    // root, the log): said as a usage mistake, not as one failure a subfolder.
    if (
      !only &&
      ids.length > 0 &&
      !ids.some((id) => existsSync(join(artifacts, id, 'manifest.json')))
    )
      throw usageError(
        `${artifacts} holds no document folders (none of its folders has a manifest.json)`,
        'give the artifacts folder (docprov check artifacts/), or one document folder',
      );
    const sourceIds = only
      ? []
      : existsSync(sources)
        ? readdirSync(sources).filter((n) => statSync(join(sources, n)).isDirectory())
        : [];
    let pending = 0;
    const now = values.now === undefined ? new Date() : new Date(values.now);
    if (Number.isNaN(now.getTime()))
      throw usageError(
        `--now "${values.now}" is not a date`,
        'write it as ISO 8601, e.g. 2030-06-01T00:00:00Z',
      );
    let failures = 0;
    // What is said of each document (and of the log and the page): a line, or with --json data.
    const results: { id: string; ok: boolean; says: string; verdict?: string }[] = [];
    const say = (ok: boolean, id: string, says: string, verdict?: string) => {
      results.push({ id, ok, says, ...(verdict ? { verdict } : {}) });
      if (!values.json) io.out(`${ok ? '✓' : '✗'} ${printable(`${id}: ${says}`)}\n`);
    };
    const fail = (id: string, what: string, verdict?: string) => {
      failures++;
      say(false, id, what, verdict);
    };
    // Beside the documents, only the page and docprov's own: anything else would be published
    // with them unchecked (a loose PDF, another page, a hidden folder). Visible folders are
    // checked as documents above.
    if (!only)
      for (const n of otherEntries(artifacts).filter((x) => x !== PAGE)) {
        const folder = statSync(join(artifacts, n), { throwIfNoEntry: false })?.isDirectory();
        if (!folder)
          fail(n, 'a file that docprov did not publish: check cannot vouch for it; remove it');
        else if (n.startsWith('.'))
          fail(
            n,
            'a hidden folder that docprov did not make: check cannot vouch for it; remove it',
          );
      }
    for (const id of sourceIds.filter((s) => !ids.includes(s)))
      fail(id, `has sources but no artifacts; fix: ${FIX}`);
    // One folder away from its artifacts folder (a download, say) has no log beside it: its own
    // inclusion proof is still checked by verify; the whole log is audited where it is kept.
    const logAway = !!only && !existsSync(join(artifacts, LOG, 'checkpoint'));
    if (logAway)
      note(
        io,
        `no transparency log beside ${only} (${join(artifacts, LOG)}): its inclusion proof is checked against the checkpoint it carries; check the artifacts folder that holds the log to audit the log itself`,
      );
    const log = logAway
      ? { history: [], problems: [] }
      : auditTheLog(
          artifacts,
          ids,
          (id, what) => fail(id, what),
          (m) => note(io, m),
        );
    if (log.view && log.problems.length === 0)
      say(
        true,
        LOG,
        `${log.view.size} entries in "${log.view.origin}"; its tiles rebuild its checkpoint, and all ${log.history.length} checkpoints it kept are consistent with it`,
      );
    // The documents are verified and rebuilt on the pool, in parallel; what each found is
    // judged here, in their order, against the log audited above.
    const outcomes = new Map<string, CheckOutcome>();
    const progress = new Progress(ids.length, io, false);
    const threads = await runAll(
      'check',
      ids.map((id) => ({ name: id, artifacts, sources, now: now.toISOString() })),
      poolSize(values.jobs),
      check,
      (o) => {
        outcomes.set(o.name, o);
        progress.done(o.findings ? 'checked' : 'failed', '');
      },
    );
    progress.finish();
    const rows: string[][] = [];
    for (const id of ids) {
      const o = outcomes.get(id)!;
      const row = (state: string) =>
        rows.push([id, o.findings?.report?.verdict ?? '-', state, o.ms.toFixed(0)]);
      if (o.stderr) io.err(o.stderr);
      const f = o.findings;
      if (!f || f.error) {
        fail(id, f?.error ?? o.error?.error.message ?? 'could not be checked');
        row('no');
        continue;
      }
      const report = f.report!;
      if (
        report.verdict !== 'authentic' &&
        !(report.pending && values['allow-pending-revocation'])
      ) {
        fail(
          id,
          `does not verify with the shipped trust store (${report.verdict}): ${report.summary}${report.pending ? ' (check --allow-pending-revocation accepts this state)' : ''}`,
          report.verdict,
        );
        row('no');
        continue;
      }
      if (report.verdict !== 'authentic') {
        pending++;
        warn(io, [
          {
            code: 'revocation-pending',
            message: `${id}: intact, and not yet proven: ${report.pending}`,
            hint: `once the CA has issued it, put the CRL in trust/revocation/ and renew: ${RENEW}`,
          },
        ]);
      }
      const files = new Map<string, Uint8Array>();
      for (const n of ['manifest.json', LOG_PROOF_FILE])
        if (existsSync(join(artifacts, id, n))) files.set(n, readInput(join(artifacts, id, n)));
      const logged = logAway ? undefined : inLog(files, { ...log, dir: join(artifacts, LOG) });
      if (logged) {
        fail(id, logged);
        row('no');
        continue;
      }
      if (f.noSources) {
        fail(
          id,
          `no sources at ${f.noSources}; give the folder that holds them with --sources DIR`,
        );
        row('no');
        continue;
      }
      if (f.unbuildable) {
        fail(id, `its sources no longer build: ${f.unbuildable}`);
        row('no');
        continue;
      }
      if (f.stale!.length) {
        fail(id, `stale: ${f.stale!.join('; ')}; fix: ${FIX}`);
        row('stale');
      } else {
        say(
          true,
          id,
          `${report.verdict === 'authentic' ? 'authentic' : 'intact, pending revocation data'} (signed by ${report.signer?.subject}), and rebuilds from its sources to the same bytes`,
          report.verdict,
        );
        row('yes');
      }
      // A proof that ends soon is renewed now, while its certificate still holds.
      const proof = f.proof;
      if (proof && new Date(proof.until).getTime() - now.getTime() < RENEW_WITHIN_DAYS * 86_400_000)
        warn(io, [
          {
            code: 'proof-expires-soon',
            message: `${id}: ${proof.what} stops proving anything on ${proof.until}, when "${proof.subject}" expires (within ${RENEW_WITHIN_DAYS} days)`,
            // Renewal signs the manifest again: with the signer expired, that is a key rotation.
            hint:
              report.signer && new Date(report.signer.notAfter) < now
                ? `its signing certificate expired on ${report.signer.notAfter}, so renewing is rotating the key: ${ROTATE}`
                : `renew it now: ${RENEW}`,
          },
        ]);
    }
    if (ids.length > 1 && !values.json)
      io.out(
        table(['document', 'verdict', 'current', 'ms'], rows) +
          `(${ids.length} documents on ${threads} thread${threads === 1 ? '' : 's'} in ${progress.summary().seconds.toFixed(1)} s)\n`,
      );
    if (!only) {
      const page = pageProblem(artifacts);
      if (page) fail(PAGE, page);
      else say(true, PAGE, 'the page npm run build makes from these sources');
    }
    if (ids.length === 0 && sourceIds.length === 0)
      fail(artifacts, 'holds no artifacts (give the artifacts folder, or one document folder)');
    if (values.json) io.out(jsonText({ format: 'docprov-check/1', failures, results }));
    else
      io.out(
        failures === 0
          ? `check: ${ids.length} document(s) current and ${pending ? `authentic or pending revocation data (${pending} pending)` : 'authentic'}\n`
          : `check: ${failures} problem(s)\n`,
      );
    return failures === 0 ? EXIT.ok : EXIT.invalid;
  },
};

const LOG = 'log';

/** The log's key: the one trust/logs/ pins for its origin, else the one the manifests name. */
function logKey(artifacts: string, ids: string[], origin: string): NoteKey | string {
  const pinned = loadLogKeys().filter((k) => k.name === origin);
  const named: NoteKey[] = [];
  for (const id of ids) {
    try {
      const m = JSON.parse(readFileSync(join(artifacts, id, 'manifest.json'), 'utf8')) as {
        log?: { origin: string; key: string };
      };
      const k = m.log?.origin === origin ? parseVerifierKey(nodeCrypto, m.log.key) : undefined;
      if (k && !named.some((n) => sameKey(n, k))) named.push(k);
    } catch {
      // a folder without a readable manifest is reported by its own verification
    }
  }
  // A pinned key is the log's key; several pins for one log: the one the manifests name.
  if (pinned.length) return pinned.find((k) => named.some((n) => sameKey(n, k))) ?? pinned[0]!;
  if (named.length === 1) return named[0]!;
  return named.length === 0
    ? `no folder's manifest names a key for the log "${origin}", and trust/logs/ pins none`
    : `the manifests name ${named.length} different keys for the log "${origin}"`;
}

/** Finishes an interrupted append, then audits the whole log in ARTIFACTS_DIR/log. */
function auditTheLog(
  artifacts: string,
  ids: string[],
  fail: (id: string, what: string) => void,
  say: (m: string) => void,
): { view?: LogView; history: number[]; problems: string[] } {
  const dir = join(artifacts, LOG);
  const carry = ids.filter((id) => existsSync(join(artifacts, id, LOG_PROOF_FILE)));
  if (!existsSync(join(dir, 'checkpoint'))) {
    if (carry.length) fail(LOG, `${carry.join(', ')} carry log proofs, and ${dir} holds no log`);
    return { history: [], problems: carry.length ? ['no log'] : [] };
  }
  const origin = readFileSync(join(dir, 'checkpoint'), 'utf8').split('\n')[0] ?? '';
  const key = logKey(artifacts, ids, origin);
  if (typeof key === 'string') {
    fail(LOG, key);
    return { history: [], problems: [key] };
  }
  const lock = acquireLock(join(artifacts, `.${LOG}.lock`), say);
  try {
    recoverLog(dir, key, say);
  } catch (e) {
    fail(LOG, (e as Error).message);
    return { history: [], problems: [(e as Error).message] };
  } finally {
    lock.release();
  }
  const audit = auditLog(nodeCrypto, logReader(dir), historyNames(dir), key);
  for (const p of audit.problems) fail(LOG, p);
  return {
    ...(audit.log ? { view: audit.log } : {}),
    history: audit.history,
    problems: audit.problems,
  };
}

/** Why a verified folder is not in the log as its proof says, or undefined when it is. */
function inLog(
  files: Map<string, Uint8Array>,
  log: { view?: LogView; dir: string },
): string | undefined {
  const proof = files.get(LOG_PROOF_FILE);
  if (!proof) return `carries no transparency log proof (${LOG_PROOF_FILE}); fix: ${FIX}`;
  if (!log.view) return 'its log cannot be read (see log above)';
  const p = parseTlogProof(proof);
  const entry = entryOfManifest(nodeCrypto, files.get('manifest.json') ?? new Uint8Array(0));
  if (typeof p === 'string' || !entry) return 'its log proof cannot be read';
  const stored = log.view.entries[p.index];
  if (!stored || !same(stored, formatEntry(entry)))
    return `its manifest is not entry ${p.index} of the log: the log does not hold what the folder claims`;
  // The proof's checkpoint must be one the log kept: those are the ones audited as consistent.
  const size = Number(new TextDecoder().decode(p.checkpoint).split('\n')[1]);
  if (!same(logReader(log.dir)(historyPath(size)), p.checkpoint))
    return `its log proof is against a checkpoint of ${size} entries that the log did not keep (checkpoints/${size})`;
  return undefined;
}
