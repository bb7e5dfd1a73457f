import type { VerifyContext } from './context.js';
import { establishFacts, type Conditions, type InputKind } from './policy.js';
import { summaryOf, verdictOf, type Checks, type Report } from './report.js';

/** The report's summary sentence, from what it holds. */
export function summarize(r: Report, pendingAt?: string): string {
  // What the (last) signer signed, when later updates (validation data, timestamps) follow it.
  const signed = r.signatures?.filter((s) => s.kind === 'signature').at(-1);
  const revision =
    r.kind === 'pdf' && signed && signed.covers !== 'the whole file'
      ? signed.revisionEnd
      : undefined;
  return summaryOf(
    r.verdict,
    r.checks,
    r.facts ?? [],
    r.signer,
    r.kind,
    r.text,
    revision,
    pendingAt,
  );
}

/** A report from its checks: the facts, verdict and summary are derived, never set. */
export function buildReport(
  kind: InputKind,
  file: string,
  checks: Checks,
  ctx: VerifyContext,
  extra: Partial<Omit<Report, 'verdict' | 'summary' | 'checks' | 'facts'>> = {},
  declared: Omit<Conditions, 'pinned'> = {},
): Report {
  const facts = establishFacts(kind, checks.list, {
    ...declared,
    pinned: ctx.signerPin !== undefined,
  });
  const verdict = verdictOf(checks.list, facts);
  const report: Report = {
    format: 'docprov-verification/1',
    verdict,
    summary: '',
    file,
    kind: kind === 'pdf-with-manifest' ? 'pdf' : kind,
    checkedAt: ctx.now.toISOString(),
    ...extra,
    facts,
    checks: checks.list,
  };
  report.summary = summarize(report);
  return report;
}
