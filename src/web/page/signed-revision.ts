import type { Report } from '../../core/verify/report.js';

// Which bytes the document's signature covers: [0, end) of its last signature that is not a
// document timestamp. Read from the report's summaries, which say "the whole file" or "the
// revision ending at byte N" (src/core/verify/verify-pdf.ts).

export interface SignedRevision {
  end: number;
  /** Bytes in the file after the signed revision. */
  added: number;
  /** The signature does not hold for these bytes: they are only what the file claims was signed. */
  broken: boolean;
  /** What was added after signing changes the document (not only validation data or timestamps). */
  changed: boolean;
}

const BROKEN = new Set([
  'byte-range',
  'contents-gap',
  'cms-structure',
  'message-digest',
  'signature-value',
]);

export function signedRevision(r: Report, size: number): SignedRevision | undefined {
  const main = r.signatures?.filter((s) => s.kind === 'signature').at(-1);
  if (!main) return undefined;
  const m = /^the revision ending at byte (\d+)$/.exec(main.covers);
  const end = main.covers === 'the whole file' ? size : m ? Number(m[1]) : NaN;
  if (!Number.isSafeInteger(end) || end <= 0 || end > size) return undefined;
  const failed = r.checks.filter((c) => c.status === 'fail');
  return {
    end,
    added: size - end,
    broken: failed.some((c) => BROKEN.has(c.id)),
    changed: failed.some((c) => c.id === 'unchanged-after-signing'),
  };
}

export function revisionNote(s: SignedRevision): string {
  if (s.broken)
    return 'The signature does not match these bytes: the pages below are only what the file claims was signed.';
  if (s.changed)
    return `Something was added to this file after it was signed (${s.added} bytes). A PDF viewer may show you that instead. The pages below are the version that was signed.`;
  if (s.added > 0)
    return `After signing, ${s.added} bytes of validation data or timestamps were added; they change nothing you see. The pages below are the version that was signed.`;
  return 'The signature covers the whole file: these are its pages, exactly as signed.';
}
