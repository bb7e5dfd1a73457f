import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { octets, oid, seq, setOf } from '../src/core/asn1/writer.js';

import { memorySource } from '../src/core/pdf/source.js';
import { parseCertificate, pemBlocks } from '../src/core/pki/certificate.js';
import { signPdf } from '../src/core/sign/sign-pdf.js';
import type { Report } from '../src/core/verify/report.js';
import { verifyPdfFile } from '../src/core/verify/verify.js';
import { nodeCrypto } from '../src/node/crypto.js';

import {
  cmsOf,
  editSignerInfo,
  fieldsOf,
  rebuild,
  withCms,
  withExtra,
  withUnsignedAttribute,
} from './helpers/cms-edit.js';
import { rawSigner } from './helpers/identity.js';

import { laterRevocation, pkiDir } from './helpers/pki.js';
import { buildLetter } from './helpers/letter-build.js';

// The CMS container inside /Contents is not covered by the signature: whatever it carries must be
// parsed, what plays no part listed, and what docprov cannot vouch for refused.

const NOW = new Date('2026-12-01T00:00:00Z');
let signed: Uint8Array;
const der = (file: string, label = 'CERTIFICATE') =>
  pemBlocks(readFileSync(join(pkiDir(), file), 'utf8'), label)[0]!;
const verify = (bytes: Uint8Array): Promise<Report> =>
  verifyPdfFile(
    { name: 'x.pdf', source: memorySource(bytes) },
    {
      crypto: nodeCrypto,
      anchors: [parseCertificate(der('root.pem'), nodeCrypto)],
      now: NOW,
      revocation: laterRevocation(),
    },
  );
const check = (r: Report, id: string) => r.checks.find((c) => c.id === id)!;

beforeAll(async () => {
  const built = await buildLetter();
  signed = await signPdf(built.basePdf, {
    signer: rawSigner('signer'),
    date: new Date('2026-11-18T11:06:40Z'),
    crypto: nodeCrypto,
  });
});

describe('what rides in the signature container', () => {
  it('as signed: authentic, nothing extra', async () => {
    const r = await verify(signed);
    expect(r.verdict).toBe('authentic');
    expect(check(r, 'cms-extras').message).toMatch(/carries nothing beyond/);
    expect(r.summary).toMatch(
      /every byte of this file, except the signature itself, is exactly what/,
    );
  });
  it('an extra certificate that plays no part is listed, and the verdict stands', async () => {
    const r = await verify(
      withCms(signed, withExtra(cmsOf(signed).cms, 0xa0, der('stranger.pem'))),
    );
    expect(r.verdict, r.summary).toBe('authentic');
    expect(check(r, 'cms-extras').message).toMatch(
      /playing no part in this verification: certificate "O=docprov tests, CN=docprov test stranger"/,
    );
  });
  it('an extra CRL is listed', async () => {
    const r = await verify(
      withCms(signed, withExtra(cmsOf(signed).cms, 0xa1, der('root-crl.pem', 'X509 CRL'))),
    );
    expect(r.verdict, r.summary).toBe('authentic');
    expect(check(r, 'cms-extras').message).toMatch(/1 CRL\(s\)/);
  });
  it('an unsigned attribute holding a payload is refused', async () => {
    const payload = octets(new TextEncoder().encode('I withdraw this resignation'));
    const r = await verify(
      withCms(signed, withUnsignedAttribute(cmsOf(signed).cms, '1.2.3.4.5', payload)),
    );
    expect(r.verdict).toBe('invalid');
    expect(check(r, 'cms-structure')).toMatchObject({ status: 'fail', code: 'bad-cms' });
    expect(check(r, 'cms-structure').message).toMatch(
      /unsigned data docprov does not accept \(attribute 1\.2\.3\.4\.5\)/,
    );
  });
  // Algorithm parameters and extra attribute values are bytes nothing signs and nothing reads.
  const payload = () =>
    octets(new TextEncoder().encode('HIDDEN PAYLOAD: I withdraw my resignation.'));
  it.each([
    [
      'the SignedData digestAlgorithms',
      (cms: Uint8Array) =>
        rebuild(cms, (children) =>
          children.map((c, k) =>
            k === 1 ? setOf(fieldsOf(c).map((a) => seq([fieldsOf(a)[0]!, payload()]))) : c,
          ),
        ),
      /a digest algorithm 2\.16\.840\.1\.101\.3\.4\.2\.1 carries parameters/,
    ],
    [
      "the SignerInfo's digest algorithm",
      (cms: Uint8Array) =>
        editSignerInfo(cms, (f) =>
          f.map((x, k) => (k === 2 ? seq([fieldsOf(x)[0]!, payload()]) : x)),
        ),
      /the digest algorithm 2\.16\.840\.1\.101\.3\.4\.2\.1 carries parameters/,
    ],
    [
      "the signature algorithm's NULL",
      (cms: Uint8Array) =>
        editSignerInfo(cms, (f, tags) => {
          const k = tags.indexOf(0x30, 3);
          return f.map((x, i) => (i === k ? seq([fieldsOf(x)[0]!, payload()]) : x));
        }),
      /the signature algorithm [\d.]+ carries parameters/,
    ],
    [
      'a second value of an unsigned attribute',
      (cms: Uint8Array) =>
        editSignerInfo(cms, (f) => [
          ...f,
          setOf([seq([oid('1.2.840.113549.1.9.16.2.14'), setOf([payload(), payload()])])], 0xa1),
        ]),
      /the unsigned attribute 1\.2\.840\.113549\.1\.9\.16\.2\.14 has 2 values, not one/,
    ],
  ])('a payload in %s is refused', async (_where, edit, message) => {
    const r = await verify(withCms(signed, edit(cmsOf(signed).cms)));
    expect(r.verdict).toBe('invalid');
    expect(check(r, 'cms-structure')).toMatchObject({ status: 'fail' });
    expect(check(r, 'cms-structure').message).toMatch(message);
  });
  it('a certificate that does not parse is refused', async () => {
    const junk = Uint8Array.from([0x30, 0x06, 0x02, 0x01, 0x01, 0x04, 0x01, 0x00]);
    const r = await verify(withCms(signed, withExtra(cmsOf(signed).cms, 0xa0, junk)));
    expect(r.verdict).toBe('invalid');
    expect(check(r, 'cms-structure').message).toMatch(/cannot read a certificate/);
  });
  it('a CRL that does not parse is refused', async () => {
    const junk = Uint8Array.from([0x30, 0x03, 0x02, 0x01, 0x01]);
    const r = await verify(withCms(signed, withExtra(cmsOf(signed).cms, 0xa1, junk)));
    expect(r.verdict).toBe('invalid');
    expect(check(r, 'cms-structure').message).toMatch(/a CRL that cannot be read/);
  });
  it('a certificate of another format (an attribute certificate) is refused', async () => {
    const other = Uint8Array.from([0xa1, 0x03, 0x02, 0x01, 0x01]);
    const r = await verify(withCms(signed, withExtra(cmsOf(signed).cms, 0xa0, other)));
    expect(r.verdict).toBe('invalid');
    expect(check(r, 'cms-structure').message).toMatch(/a certificate of another format/);
  });
});
