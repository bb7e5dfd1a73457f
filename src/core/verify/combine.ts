import type { VerifyContext } from './context.js';
import { summaryOf, verdictOf, type Report } from './report.js';

/**
 * Several inputs as one report (docprov verify A B --json): every input's checks, each marked
 * with its file, and the verdict derived from all of them; `reports` keeps each in full.
 */
export function combineReports(
  reports: Report[],
  ctx: VerifyContext,
): Report & { reports: Report[] } {
  const checks = reports.flatMap((r) =>
    r.checks.map((c) => ({ ...c, subject: c.subject ? `${r.file}: ${c.subject}` : r.file })),
  );
  const verdict = verdictOf(checks);
  const authentic = reports.filter((r) => r.verdict === 'authentic').length;
  return {
    format: 'docprov-verification/1',
    verdict,
    summary:
      `${authentic} of ${reports.length} inputs are authentic. ${verdict === 'authentic' ? '' : summaryOf(verdict, checks)}`.trim(),
    file: reports.map((r) => r.file).join(', '),
    kind: 'several',
    checkedAt: ctx.now.toISOString(),
    checks,
    reports,
  };
}
