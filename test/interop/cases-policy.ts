// Signatures that verify mathematically but that docprov refuses on policy, and must say so
// ("refused by policy: ..."), never that the signature does not verify.
import { signed, type Case, type CaseContext } from './case.js';
import { opensslCms, PDF_DATE } from './openssl-cms.js';

/** The words issue 10 asks for, so that nobody reads a policy refusal as a forgery. */
export const POLICY = /refused by policy/i;

export function policyCases(ctx: CaseContext): Case[] {
  const base = ctx.bases['latex-classic'];
  const field = { fieldName: 'Signature1', subFilter: 'adbe.pkcs7.detached', m: PDF_DATE } as const;
  return [
    {
      name: 'policy-sha1',
      expect: 'invalid',
      why: 'refused by policy: SHA-1 message digest (a collision could swap the signed bytes: integrity)',
      says: POLICY,
      make: () => signed(base, field, opensslCms(ctx.pkiDir, { signer: 'signer', md: 'sha1' })),
    },
    {
      name: 'policy-sha1-ess-v1',
      expect: 'invalid',
      why: 'refused by policy: SHA-1; openssl -cades -md sha1 is the one way openssl writes ESS signing-certificate v1',
      says: POLICY,
      make: () =>
        signed(
          base,
          { ...field, subFilter: 'ETSI.CAdES.detached' },
          opensslCms(ctx.pkiDir, { signer: 'signer', md: 'sha1', cades: true }),
        ),
    },
    {
      name: 'policy-rsa-1024',
      expect: 'intact-untrusted',
      why: 'refused by policy: an RSA-1024 signer key (the bytes are what the key signed; the key is too weak to say who)',
      says: POLICY,
      make: () => signed(base, field, opensslCms(ctx.pkiDir, { signer: 'weak' })),
    },
  ];
}
