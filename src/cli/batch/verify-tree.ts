import { EXIT, type Io } from '../io.js';
import { jsonText } from '../printable.js';
import { Progress } from './progress.js';
import { runAll } from './run-all.js';
import { table } from './table.js';
import type { VerifyOutcome, VerifyTask } from './tasks.js';

// `docprov verify TREE`: every document folder of a tree, verified in parallel, then one row a
// document (its verdict, its signer, the checks that failed) and the totals. With --json, one
// report a document (or the error that kept it from being checked), in the order of the table.

export async function verifyTree(
  tasks: VerifyTask[],
  io: Io,
  flags: { json: boolean; threads: number },
  here: (task: VerifyTask) => Promise<VerifyOutcome>,
): Promise<number> {
  const progress = new Progress(tasks.length, io, false);
  const outcomes: VerifyOutcome[] = [];
  const threads = await runAll('verify', tasks, flags.threads, here, (o) => {
    outcomes.push(o);
    progress.done(o.report?.verdict ?? 'cannot check', '', o.stderr);
  });
  progress.finish();
  const { tally, seconds } = progress.summary();
  const order = new Map(tasks.map((t, i) => [t.name, i]));
  outcomes.sort((a, b) => order.get(a.name)! - order.get(b.name)!);
  if (flags.json)
    io.out(
      jsonText(
        outcomes.map(
          (o) =>
            o.report ?? {
              format: 'docprov-error/1',
              file: o.name,
              exitCode: o.exit,
              error: { code: o.code ?? 'error', message: o.stderr.trim() },
            },
        ),
      ),
    );
  else {
    io.out(
      table(
        ['document', 'verdict', 'signer', 'failed checks'],
        outcomes.map((o) => [
          o.name,
          // Intact and waiting only for later revocation data says so, as verify FILE does.
          o.report ? (o.report.pending ? 'not yet proven' : o.report.verdict) : 'cannot check',
          o.report?.signer?.subject ?? '',
          o.report
            ? [
                ...new Set(o.report.checks.filter((c) => c.status === 'fail').map((c) => c.id)),
              ].join(', ')
            : (o.code ?? ''),
        ]),
      ),
    );
    const count = (k: string) => tally[k] ?? 0;
    const pending = outcomes.filter((o) => o.report?.pending).length;
    io.out(
      `verify: ${tasks.length} document(s) in ${seconds.toFixed(1)} s: ${count('authentic')} authentic, ${pending} not yet proven, ${count('intact-untrusted') - pending} intact-untrusted, ${count('invalid')} invalid, ${count('cannot check')} could not be checked (${threads} thread${threads === 1 ? '' : 's'})\n`,
    );
  }
  if (outcomes.some((o) => !o.report)) return EXIT.unusable;
  return outcomes.every((o) => o.report!.verdict === 'authentic') ? EXIT.ok : EXIT.invalid;
}
