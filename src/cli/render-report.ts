import type { Report } from '../core/verify/report.js';
import { printable as p } from './printable.js';

// The human form of a verification report: one line a check, then who, when, and the verdict.
// Every string in a report can come from a downloaded file: each is printed escaped.

const MARK = { pass: '✓', fail: '✗', skip: '-' } as const;
const COLOUR = { pass: '\x1b[32m', fail: '\x1b[31m', skip: '\x1b[2m' } as const;
const VERDICT = {
  authentic: 'AUTHENTIC',
  'intact-untrusted': 'INTACT BUT NOT TRUSTED',
  invalid: 'NOT AUTHENTIC',
} as const;
const RESET = '\x1b[0m';

export function renderReport(r: Report, colour: boolean): string {
  const paint = (c: string, s: string) => (colour ? `${c}${s}${RESET}` : s);
  const width = Math.max(...r.checks.map((c) => c.id.length));
  const lines = [`docprov verify: ${p(r.file)}`];
  for (const c of r.checks) {
    const about = c.subject ? ` [${p(c.subject)}]` : '';
    lines.push(
      `  ${paint(COLOUR[c.status], MARK[c.status])} ${c.id.padEnd(width)}  ${p(c.message)}${about}`,
    );
  }
  if (r.document) lines.push(`  document   ${p(r.document.id)}: ${p(r.document.title)}`);
  if (r.signer)
    lines.push(
      `  signer     ${p(r.signer.subject)}`,
      `             certificate SHA-256 ${p(r.signer.fingerprint)}`,
    );
  if (r.signingTime)
    lines.push(
      `  signed at  ${p(r.signingTime)} (${r.timeProven ? 'proven by a timestamp' : 'as claimed by the signer'})`,
    );
  if (r.provenance)
    lines.push(
      `  built by   docprov ${p(r.provenance.docprovVersion)} on ${p(r.provenance.builder)}`,
      `             from ${p(r.provenance.sourcePath)}${r.provenance.gitCommit ? ` at commit ${p(r.provenance.gitCommit)}` : ''} (docprov provenance says more)`,
    );
  if (r.log)
    lines.push(
      `  logged     entry ${r.log.index} of the transparency log "${p(r.log.origin)}" (checkpoint of ${r.log.treeSize} entries)`,
    );
  // The required facts: how many were established, and each one that was not.
  const facts = r.facts ?? [];
  if (facts.length) {
    const unmet = facts.filter((f) => f.status !== 'pass');
    lines.push(
      `  facts      ${facts.length - unmet.length} of ${facts.length} required facts established`,
    );
    for (const f of unmet)
      lines.push(
        `             ${paint(COLOUR[f.status === 'fail' ? 'fail' : 'skip'], f.status === 'fail' ? MARK.fail : MARK.skip)} ${f.id}: ${p(f.reason ?? f.says)}`,
      );
  }
  const tone = r.verdict === 'authentic' ? COLOUR.pass : COLOUR.fail;
  lines.push(
    `  verdict    ${paint(tone, r.pending ? 'INTACT, NOT YET PROVEN' : VERDICT[r.verdict])}`,
    `  ${p(r.summary)}`,
  );
  if (r.pending) lines.push(`  pending    ${p(r.pending)}`);
  return lines.join('\n');
}
