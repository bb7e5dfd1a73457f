import type { VerifyContext } from './context.js';
import type { Report, Verdict } from './report.js';

const RANK: Record<Verdict, number> = { invalid: 0, 'intact-untrusted': 1, authentic: 2 };

/**
 * Several inputs as one report (docprov verify A B --json): every input's checks, each marked
 * with its file; authentic only when every input is, else the worst of their verdicts.
 */
export function combineReports(
  reports: Report[],
  ctx: VerifyContext,
): Report & { reports: Report[] } {
  const checks = reports.flatMap((r) =>
    r.checks.map((c) => ({ ...c, subject: c.subject ? `${r.file}: ${c.subject}` : r.file })),
  );
  const worst = reports.reduce<Report | undefined>(
    (w, r) => (!w || RANK[r.verdict] < RANK[w.verdict] ? r : w),
    undefined,
  );
  const verdict: Verdict = worst?.verdict ?? 'invalid';
  const authentic = reports.filter((r) => r.verdict === 'authentic').length;
  return {
    format: 'docprov-verification/1',
    verdict,
    summary:
      `${authentic} of ${reports.length} inputs are authentic.${verdict === 'authentic' || !worst ? '' : ` ${worst.file}: ${worst.summary}`}`.trim(),
    file: reports.map((r) => r.file).join(', '),
    kind: 'several',
    checkedAt: ctx.now.toISOString(),
    checks,
    reports,
  };
}
