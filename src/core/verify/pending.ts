import type { VerifyContext } from './context.js';
import type { Report } from './report.js';
import { summarize } from './build-report.js';

// A verdict that waits only on revocation data not yet issued. docprov judges "not revoked"
// only from data issued at or after the time a timestamp proves; a CA's data current at that
// time (X.509's own reading) is not enough. When that alone keeps a copy from authentic, the
// report says so and what to wait for: the verdict itself does not change.

/** Whether every signature's time is proven in `r` (a claimed time never waits its way to proof). */
function timeProven(r: Report): boolean {
  if (r.kind === 'text')
    return r.checks.some((c) => c.id === 'signature-timestamp' && c.status === 'pass');
  return r.timeProven === true;
}

/**
 * Runs `verify` as docprov judges; when the copy is intact but not trusted, runs it again taking
 * revocation data current at the proven time at its word, and records in `pending` whether that
 * alone would make it authentic.
 */
export async function withPending(
  ctx: VerifyContext,
  verify: (ctx: VerifyContext) => Promise<Report>,
): Promise<Report> {
  const report = await verify(ctx);
  if (report.verdict !== 'intact-untrusted' || ctx.freshness === 'current-at') return report;
  const lenient = await verify({ ...ctx, freshness: 'current-at' });
  if (lenient.verdict !== 'authentic' || !timeProven(lenient)) return report;
  const at = lenient.signingTime ?? 'the time its timestamp proves';
  return {
    ...report,
    summary: summarize(report, at),
    pending: `only revocation data issued after ${at} is missing. Nothing at hand shows a revocation, but data issued before that time cannot show there was none by then; the copy becomes provable once the CA has issued its next CRL (or an OCSP response) after ${at}`,
  };
}
