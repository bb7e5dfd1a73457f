// Vectors about revisions rather than the CMS: an unusual end-of-file layout, and files signed
// twice, where ISO 32000-2's DocMDP rules decide whether the second signature is allowed.
import type { Layout } from './pdf-update.js';
import { signed, type Case, type CaseContext } from './case.js';
import { opensslCms, PDF_DATE } from './openssl-cms.js';
import type { SigFieldOptions } from './sig-field.js';

const CRLF_DECORATED: Layout = { eol: '\r\n', finalEol: false, decorated: true };
const CR_ONLY: Layout = { eol: '\r', finalEol: true, decorated: false };

export function revisionCases(ctx: CaseContext): Case[] {
  const rsa = opensslCms(ctx.pkiDir, { signer: 'signer' });
  const rsaCades = opensslCms(ctx.pkiDir, { signer: 'signer', cades: true });
  const approval = (n: number): SigFieldOptions => ({
    fieldName: `Signature${n}`,
    subFilter: 'adbe.pkcs7.detached',
    m: PDF_DATE,
  });
  const certification = (p: 1 | 2): SigFieldOptions => ({
    fieldName: 'Certification',
    subFilter: 'ETSI.CAdES.detached',
    m: PDF_DATE,
    docMdp: p,
  });
  const certifiedThenApproved = (p: 1 | 2) => async () =>
    signed(await signed(ctx.bases['latex-classic'], certification(p), rsaCades), approval(2), rsa);
  return [
    {
      name: 'layout-crlf-decorated-classic',
      expect: 'authentic',
      why: 'the signed revision uses CRLF, comment lines around xref and trailer, spaces around the startxref offset, and no line break after %%EOF',
      make: () =>
        signed(ctx.bases['latex-classic'], { ...approval(1), layout: CRLF_DECORATED }, rsa),
    },
    {
      name: 'layout-crlf-decorated-xrefstream',
      expect: 'authentic',
      why: 'the same layout, the revision ending in an xref stream',
      make: () => signed(ctx.bases.latex, { ...approval(1), layout: CRLF_DECORATED }, rsa),
    },
    {
      name: 'layout-cr-only',
      expect: 'authentic',
      why: 'the signed revision ends its lines with a bare CR (allowed by ISO 32000 7.2.3)',
      make: () => signed(ctx.bases['latex-classic'], { ...approval(1), layout: CR_ONLY }, rsa),
    },
    {
      name: 'docmdp-p2-then-approval',
      expect: 'authentic',
      why: 'certification with DocMDP P 2, then an approval signature in a new field: P 2 allows signing (ISO 32000-2 12.8.2.2)',
      make: certifiedThenApproved(2),
    },
    {
      name: 'docmdp-p1-then-approval',
      expect: 'invalid',
      why: 'certification with DocMDP P 1, then an approval signature: P 1 allows only DSS and document timestamps',
      make: certifiedThenApproved(1),
    },
    {
      name: 'two-approvals',
      expect: 'authentic',
      why: 'two approval signatures in a row, each over the whole file as it was',
      make: async () =>
        signed(await signed(ctx.bases['latex-classic'], approval(1), rsa), approval(2), rsa),
    },
  ];
}
