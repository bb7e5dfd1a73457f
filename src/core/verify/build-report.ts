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
  return {
    format: 'docprov-verification/1',
    verdict,
    summary: summaryOf(verdict, checks.list, extra.signer, kind, extra.text),
    file,
    kind,
    checkedAt: ctx.now.toISOString(),
    ...extra,
    checks: checks.list,
  };
}
