// The signed letter and its variants that the tamper corpus is made from: one base PDF, signed
// by the trusted test signer and by identities docprov must not trust.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { signPdf } from '../../src/core/sign/sign-pdf.js';
import { nodeCrypto } from '../../src/node/crypto.js';

import { issueCertificate, newRsaKey } from '../../src/node/pki.js';

import { rawSigner } from '../helpers/identity.js';

import type { Fixture } from './make-corpus.js';
import { buildLetter } from '../helpers/letter-build.js';

export const SIGNED_AT = new Date('2026-11-18T11:06:40Z');

export async function makeFixture(): Promise<Fixture> {
  const built = await buildLetter();
  const base = built.basePdf;
  const signer = rawSigner('signer');
  const as = (name: string, date: Date, dir?: string) =>
    signPdf(base, { signer: rawSigner(name, dir), date, crypto: nodeCrypto });
  // A self-signed end-entity certificate: a signer nobody vouches for.
  const k = newRsaKey(2048);
  const selfPem = issueCertificate({
    subject: { commonName: 'Self Signed Signer' },
    publicKeyPem: k.publicKeyPem,
    selfKeyPem: k.privateKeyPem,
    serial: '05',
    notBefore: new Date('2000-01-01'),
    notAfter: new Date('2100-01-01'),
    keyUsage: { digitalSignature: true },
  });
  const dir = mkdtempSync(join(tmpdir(), 'docprov-self-'));
  writeFileSync(join(dir, 'self.key'), k.privateKeyPem);
  writeFileSync(join(dir, 'self.pem'), selfPem);
  writeFileSync(join(dir, 'self-chain.pem'), selfPem);
  return {
    signed: await signPdf(base, { signer, date: SIGNED_AT, crypto: nodeCrypto }),
    untrusted: await as('stranger', SIGNED_AT),
    expiredNow: await as('expired', new Date('2005-06-01T00:00:00Z')),
    outsideValidity: await as('expired', SIGNED_AT),
    selfSigned: await as('self', SIGNED_AT, dir),
    signerKeyPem: signer.keyPem,
    signerCertPem: signer.certPem,
  };
}
