import type { Report, Status, Verdict } from '../../core/verify/report.js';

// The page's words for people who have never heard of PDF signatures: the verdict first, in
// plain words; the report's own sentences (the CLI's) follow as the detail.

export const TITLE: Record<Verdict, string> = {
  authentic: 'Authentic',
  'intact-untrusted': 'Unchanged, but the signer is not trusted',
  invalid: 'Not authentic',
};

const WHAT: Record<Report['kind'], string> = {
  pdf: 'This file',
  folder: 'Every file of this folder',
  text: 'This text',
  several: 'Each of these files',
};

/** Who signed, as a person would say it: the certificate's common name, else its whole subject. */
export function signerName(r: Report): string | undefined {
  const s = r.signer?.subject;
  if (!s) return undefined;
  return /(?:^|, )CN=([^,]+)/.exec(s)?.[1] ?? s;
}

export function lead(r: Report): string {
  const who = signerName(r) ? `“${signerName(r)}”` : 'the publisher';
  switch (r.verdict) {
    case 'authentic':
      return r.kind === 'text'
        ? `${WHAT.text} has exactly the words ${who} signed${r.text?.scope === 'excerpt' ? ' (it is a part of the document, not all of it)' : ''}, and this page trusts that signer.`
        : `${WHAT[r.kind]} is exactly what ${who} signed, and this page trusts that signer.`;
    case 'intact-untrusted': {
      if (r.pending)
        return `Nothing was changed since ${who} signed it, and a timestamp proves when. Not yet proven: that its certificate had not been revoked by then, because the revocation data at hand was all issued earlier. Try again once the signer's certificate authority has issued a later revocation list, or add one under “Whom to trust”.`;
      const unmet = r.facts?.find((f) => f.status !== 'pass');
      if (unmet && unmet.id !== 'signer-trusted' && unmet.id !== 'manifest-signer-trusted')
        return `Nothing was changed since it was signed, but this is not proven: ${unmet.says}. The checks below say why.`;
      return `Nothing was changed since it was signed, but this page cannot vouch for who signed it. If you know and trust the signer, add their root certificate under “Whom to trust”.`;
    }
    case 'invalid':
      return 'Do not rely on this copy: it is not what the publisher signed, or its signature is broken. The failed checks below say what is wrong.';
  }
}

/** The first failed check's sentence: for "invalid", the first about the bytes themselves. */
export function reason(r: Report): string {
  const failed = r.checks.filter((c) => c.status === 'fail');
  const first =
    (r.verdict === 'invalid' ? failed.find((c) => c.category === 'integrity') : undefined) ??
    failed[0];
  if (first) return `${first.message}.`;
  // Nothing failed: what kept it from authentic is a fact not established (revocation, say).
  const unmet = r.facts?.find((f) => f.status !== 'pass');
  return unmet
    ? `not established: ${unmet.says}${unmet.reason ? ` (${unmet.reason})` : ''}.`
    : 'nothing could be checked.';
}

export const MARK: Record<Status, string> = { pass: '✓', fail: '✗', skip: '–' };
export const STATUS: Record<Status, string> = {
  pass: 'passed',
  fail: 'failed',
  // Not applicable, or not established: the message beside it says which.
  skip: 'not done',
};
