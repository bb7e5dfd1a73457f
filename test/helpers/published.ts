// The published letter's expected state. It is authentic once its CA has issued revocation
// data after the time its timestamps prove; until then (the demo root's only CRL predates the
// signature) it is intact and "not yet proven", pending exactly that and nothing else.

/**
 * The clock for tests of the published copy: its newest proof expires in 2036, after which a
 * reader rightly gets another verdict until it is renewed (check warns 180 days before).
 */
export const PUBLISHED_NOW = '2026-12-06T00:00:00Z';

interface Verified {
  code: number;
  stdout: string;
}

/** A human report of the published letter: authentic, or intact and pending revocation data. */
export function publishedVerifies(r: Verified): boolean {
  return (
    (r.code === 0 && r.stdout.includes('verdict    AUTHENTIC')) ||
    (r.code === 1 &&
      r.stdout.includes('verdict    INTACT, NOT YET PROVEN') &&
      /^ {2}pending {4}only revocation data issued after /m.test(r.stdout))
  );
}

/** The same for a JSON report. */
export function publishedReportVerifies(report: {
  verdict: string;
  pending?: string;
  facts?: { id: string; status: string; by?: { check: string } }[];
}): boolean {
  if (report.verdict === 'authentic') return true;
  const unmet = (report.facts ?? []).filter((f) => f.status !== 'pass');
  return (
    report.verdict === 'intact-untrusted' &&
    !!report.pending &&
    unmet.length > 0 &&
    unmet.every((f) => f.by?.check === 'revocation')
  );
}

/** `docprov check`'s line for a published document that verifies, in either state. */
export const publishedCheckLine = (id: string, signer: string): RegExp =>
  new RegExp(
    `^✓ ${id}: (authentic|intact, pending revocation data) \\(signed by ${signer.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\), and rebuilds from its sources to the same bytes$`,
    'm',
  );

/** `docprov check`'s last line when every document verifies, in either state. */
export const CHECK_OK =
  /^check: \d+ document\(s\) current and (authentic|authentic or pending revocation data \(\d+ pending\))$/m;
