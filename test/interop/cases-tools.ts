// Signatures made end to end by other signing tools: pdfsig (poppler with NSS: BER CMS) and
// mutool (mupdf with OpenSSL: SHA-1, a FieldMDP reference), on each kind of base document.
import type { BaseName } from './bases.js';
import type { Case, CaseContext } from './case.js';
import { addSignatureField } from './sig-field.js';
import { POLICY } from './cases-policy.js';
import { mutoolSign, nssDbWithKey, pdfsigSign } from './tool-signers.js';

export function toolCases(ctx: CaseContext): Case[] {
  const dbs = new Map<string, string>();
  const db = (name: string) => {
    if (!dbs.has(name)) dbs.set(name, nssDbWithKey(ctx.pkiDir, name));
    return dbs.get(name)!;
  };
  const pdfsig =
    (base: BaseName, nick: string, etsi = false) =>
    async () =>
      pdfsigSign(ctx.work, ctx.bases[base], { db: db(nick), nick, field: 'Signature1', etsi });
  // mutool 1.21 signs existing fields only: an empty one is added first.
  const mutool = (base: BaseName, name: string) => async () => {
    const f = await addSignatureField(ctx.bases[base], { fieldName: 'Signature1', unsigned: true });
    return mutoolSign(ctx.work, f.bytes, ctx.pkiDir, name, f.widgetNum);
  };
  const bases: BaseName[] = ['latex', 'latex-objstm', 'latex-classic', 'letter'];
  return [
    ...bases.map((base): Case => ({
      name: `pdfsig-rsa-${base}`,
      expect: 'authentic',
      why: 'pdfsig -add-signature: adbe.pkcs7.detached, BER (indefinite-length) CMS from NSS, SHA-256',
      make: pdfsig(base, 'signer'),
    })),
    {
      name: 'pdfsig-rsa-etsi',
      expect: 'authentic',
      why: 'pdfsig -add-signature -etsi: ETSI.CAdES.detached, BER CMS',
      make: pdfsig('latex-classic', 'signer', true),
    },
    {
      name: 'pdfsig-ecdsa-p256',
      expect: 'authentic',
      why: 'pdfsig -add-signature with an ECDSA P-256 key (BER CMS)',
      make: pdfsig('latex-classic', 'ec256'),
    },
    ...(['latex', 'latex-classic', 'letter'] as const).map((base): Case => ({
      name: `mutool-rsa-${base}`,
      expect: 'invalid',
      why: 'refused by policy: mutool 1.21 signs with SHA-1 (adbe.pkcs7.detached, DER, a FieldMDP /Reference)',
      says: POLICY,
      make: mutool(base, 'signer'),
    })),
    {
      name: 'mutool-ecdsa-p256',
      expect: 'invalid',
      why: 'refused by policy: mutool 1.21 with an ECDSA P-256 key, digest SHA-1',
      says: POLICY,
      make: mutool('latex-classic', 'ec256'),
    },
  ];
}
