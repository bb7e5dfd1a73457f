// Signatures made by `openssl cms -sign` over the byte ranges of an incremental update written
// here: one variant of the CMS or of the PDF layout per vector.
import type { BaseName } from './bases.js';
import { signed, type Case, type CaseContext } from './case.js';
import { essV1Cms } from './ess-v1-cms.js';
import { opensslCms, PDF_DATE, type OpensslCmsOptions } from './openssl-cms.js';
import type { SigFieldOptions } from './sig-field.js';

const ADBE = 'adbe.pkcs7.detached' as const;
const CADES = 'ETSI.CAdES.detached' as const;

export function opensslCases(ctx: CaseContext): Case[] {
  const cms = (o: OpensslCmsOptions) => opensslCms(ctx.pkiDir, o);
  const field = (o: Partial<SigFieldOptions> = {}): SigFieldOptions => ({
    fieldName: 'Signature1',
    subFilter: ADBE,
    m: PDF_DATE,
    ...o,
  });
  const one = (base: BaseName, f: SigFieldOptions, o: OpensslCmsOptions) => () =>
    signed(ctx.bases[base], f, cms(o));
  const rsa = { signer: 'signer' };
  const rsaCades = { signer: 'signer', cades: true };
  const bases: BaseName[] = ['latex', 'latex-objstm', 'latex-classic', 'letter'];
  return [
    ...bases.map((base): Case => ({
      name: `openssl-rsa-adbe-${base}`,
      expect: 'authentic',
      why: `RSA PKCS#1 v1.5 SHA-256, adbe.pkcs7.detached, signed attributes; the update's xref matches the ${base} base`,
      make: one(base, field(), rsa),
    })),
    {
      name: 'openssl-rsa-cades',
      expect: 'authentic',
      why: 'ETSI.CAdES.detached with openssl -cades (signing-certificate-v2 with SHA-256)',
      make: one('latex-classic', field({ subFilter: CADES }), rsaCades),
    },
    {
      name: 'openssl-rsa-pss',
      expect: 'authentic',
      why: 'RSASSA-PSS (-keyopt rsa_padding_mode:pss) with an rsaEncryption key, CAdES',
      make: one('latex-classic', field({ subFilter: CADES }), {
        ...rsaCades,
        keyopt: ['rsa_padding_mode:pss'],
      }),
    },
    {
      name: 'openssl-rsa-pss-key',
      expect: 'authentic',
      why: 'an id-RSASSA-PSS key (RFC 4055) in the certificate, PSS signature, CAdES',
      make: one('latex-classic', field({ subFilter: CADES }), {
        signer: 'pss',
        cades: true,
        keyopt: ['rsa_padding_mode:pss'],
      }),
    },
    {
      name: 'openssl-pss-key-mislabelled',
      expect: 'invalid',
      why: 'openssl 3.0 cms -sign with an id-RSASSA-PSS key and no -keyopt: a PSS value labelled rsaEncryption (openssl cms -verify refuses it too)',
      make: one('latex-classic', field({ subFilter: CADES }), { signer: 'pss', cades: true }),
    },
    {
      name: 'openssl-ecdsa-p256',
      expect: 'authentic',
      why: 'ECDSA P-256 with SHA-256, CAdES',
      make: one('latex-classic', field({ subFilter: CADES }), { signer: 'ec256', cades: true }),
    },
    {
      name: 'openssl-ecdsa-p384',
      expect: 'authentic',
      why: 'ECDSA P-384 with SHA-384, CAdES',
      make: one('latex-classic', field({ subFilter: CADES }), {
        signer: 'ec384',
        cades: true,
        md: 'sha384',
      }),
    },
    {
      name: 'openssl-noattr',
      expect: 'authentic',
      why: 'adbe.pkcs7.detached without signed attributes (-noattr): the RSA signature is over the digest of the byte ranges',
      make: one('latex-classic', field(), { ...rsa, noattr: true }),
    },
    {
      name: 'ess-v1-sha256',
      expect: 'authentic',
      why: 'the older ESS signing-certificate (v1, SHA-1 certHash) with a SHA-256 message digest; assembled here, since openssl writes v1 only with -md sha1',
      make: () =>
        signed(
          ctx.bases['latex-classic'],
          field({ subFilter: CADES }),
          essV1Cms(ctx.pkiDir, 'signer', new Date('2026-11-18T11:06:40Z')),
        ),
    },
    {
      name: 'openssl-no-m',
      expect: 'authentic',
      why: 'no /M in the signature dictionary: the signing time is the CMS signingTime attribute',
      make: one('latex-classic', field({ m: undefined }), rsa),
    },
    {
      name: 'openssl-contents-66k-first',
      expect: 'authentic',
      why: 'a /Contents of 66,400 hex digits written before /ByteRange in the dictionary',
      make: one('latex-classic', field({ contentsDigits: 66_400, contentsFirst: true }), rsa),
    },
  ];
}
