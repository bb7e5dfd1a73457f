import type { Check, Report } from '../../core/verify/report.js';
import { el } from './dom.js';
import { lead, MARK, reason, STATUS, TITLE } from './words.js';

// The result as a person reads it: the verdict and what it means, who signed and when, then
// every check (the CLI's ids and sentences). Strings from the input are text nodes only.

export function verdictBlock(r: Report): HTMLElement {
  return el(
    'div',
    { class: `verdict ${r.verdict}`, 'data-verdict': r.verdict },
    el('p', { class: 'verdict-title' }, r.pending ? 'Unchanged, not yet proven' : TITLE[r.verdict]),
    el('p', { class: 'verdict-lead' }, lead(r)),
    r.verdict !== 'authentic' &&
      el('p', { class: 'verdict-why' }, el('strong', {}, 'What failed: '), reason(r)),
  );
}

function fact(term: string, ...value: (Node | string)[]): HTMLElement[] {
  return [el('dt', {}, term), el('dd', {}, ...value)];
}

export function factsBlock(r: Report): HTMLElement {
  const rows: HTMLElement[] = [];
  if (r.document) rows.push(...fact('Document', `${r.document.title} (${r.document.id})`));
  if (r.signer) {
    rows.push(...fact('Signed by', r.signer.subject));
    rows.push(...fact('Issued by', r.signer.issuer));
    rows.push(
      ...fact('Certificate SHA-256', el('code', { class: 'fingerprint' }, r.signer.fingerprint)),
    );
  }
  if (r.signingTime)
    rows.push(
      ...fact(
        'Signed at',
        `${r.signingTime} (${r.timeProven ? 'proven by a timestamp' : 'as claimed by the signer'})`,
      ),
    );
  rows.push(...fact('Checked', `${r.file}, as of ${r.checkedAt}`));
  return el('dl', { class: 'facts' }, ...rows);
}

function checkRow(c: Check): HTMLElement {
  return el(
    'tr',
    { class: c.status },
    el(
      'td',
      { class: 'status' },
      el('span', { 'aria-hidden': 'true' }, MARK[c.status]),
      ' ',
      STATUS[c.status],
    ),
    el(
      'td',
      { class: 'message' },
      c.message,
      c.subject ? el('span', { class: 'subject' }, ` [${c.subject}]`) : undefined,
    ),
    el('td', { class: 'id' }, el('code', {}, c.id)),
  );
}

const unmet = (r: Report) => (r.facts ?? []).filter((f) => f.status !== 'pass').length;

export function checksBlock(r: Report): HTMLElement {
  const failed = r.checks.filter((c) => c.status === 'fail').length;
  return el(
    'section',
    { 'aria-labelledby': 'checks-title' },
    el('h3', { id: 'checks-title' }, 'The checks'),
    el(
      'p',
      {},
      failed
        ? `${failed} of ${r.checks.length} checks failed.`
        : r.verdict === 'authentic'
          ? `All ${r.checks.filter((c) => c.status === 'pass').length} checks that apply passed.`
          : `None of the ${r.checks.length} checks failed, but ${unmet(r)} of the facts that authentic needs ${unmet(r) === 1 ? 'is' : 'are'} not established.`,
      ' In detail: ',
      r.summary,
    ),
    el(
      'table',
      { class: 'checks' },
      el('caption', { class: 'visually-hidden' }, 'Every check, in the order it ran'),
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          el('th', { scope: 'col' }, 'Result'),
          el('th', { scope: 'col' }, 'What it found'),
          el('th', { scope: 'col' }, 'Check'),
        ),
      ),
      el('tbody', {}, ...r.checks.map(checkRow)),
    ),
  );
}
