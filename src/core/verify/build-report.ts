import type { VerifyContext } from './context.js';
import { summaryOf, verdictOf, type Checks, type Report } from './report.js';

/** A report from its checks: the verdict and summary are derived, never set. */
export function buildReport(
  kind: Report['kind'],
  file: string,
  checks: Checks,
  ctx: VerifyContext,
  extra: Partial<Omit<Report, 'verdict' | 'summary' | 'checks'>> = {},
): Report {
  const verdict = verdictOf(checks.list);
  // What the (last) signer signed, when later updates (validation data, timestamps) follow it.
  const signed = extra.signatures?.filter((s) => s.kind === 'signature').at(-1);
  const revision =
    kind === 'pdf' && signed && signed.covers !== 'the whole file' ? signed.revisionEnd : undefined;
  return {
    format: 'docprov-verification/1',
    verdict,
    summary: summaryOf(verdict, checks.list, extra.signer, kind, extra.text, revision),
    file,
    kind,
    checkedAt: ctx.now.toISOString(),
    ...extra,
    checks: checks.list,
  };
}
