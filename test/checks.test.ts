// Issue 18, part 8: a test that names each check a weakened verifier would skip. Each builds, in
// this process, a file that only that check can catch, and asserts the verdict and the failing
// check, so that `npm run mutate` (mutants of src/, run against these in-process tests) sees a
// mutant that weakens the check die here, by name.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readAsn1 } from '../src/core/asn1/reader.js';
import { algorithm, explicit, int, nul, octets, oid, seq } from '../src/core/asn1/writer.js';
import { OID } from '../src/core/oids.js';
import { parseCertificate, pemBlocks } from '../src/core/pki/certificate.js';
import { memorySource } from '../src/core/pdf/source.js';
import { signPdf } from '../src/core/sign/sign-pdf.js';
import { addDocTimestamp } from '../src/core/sign/doc-timestamp.js';
import { verifyFolder } from '../src/core/verify/folder.js';
import type { Report } from '../src/core/verify/report.js';
import { verifyTextCopy } from '../src/core/verify/text-copy.js';
import { nodeCrypto } from '../src/node/crypto.js';
import { issueCertificate, newRsaKey } from '../src/node/pki.js';
import { issueCrl } from '../src/node/crl.js';
import { loadSchema } from '../src/node/schemas.js';
import { docprov } from './helpers/cli.js';
import { attr, certOf, essV2, withCustomCms } from './helpers/custom-cms.js';
import { timestamperAt, tokenBy } from './helpers/fake-tsa.js';
import { rawSigner } from './helpers/identity.js';
import { LETTER_DIR, ROOT } from './helpers/paths.js';
import { laterRevocation, pkiDir, signerEnv } from './helpers/pki.js';
import {
  crl,
  day,
  make,
  NOW,
  testRoot,
  unsignedLetter,
  verifyLetter,
} from './helpers/signed-letter.js';
// @ts-expect-error: a plain .mjs script, also run by hand
import { opensslCert } from './pki/openssl-leaves.mjs';

const ID = 'khalaf-2017-03-17';
const fresh = () => crl(day('2026-08-02'));
const check = (r: Report, id: string, role = 'signature') =>
  r.checks.find((c) => c.id === id && c.role === role);
/** A letter signed (B-T at 2026-08-01) by a certificate `pem` with key `keyPem`, chain to the root. */
async function signedBy(pem: string, keyPem: string, chain: string[] = []): Promise<Uint8Array> {
  const dir = mkdtempSync(join(tmpdir(), 'docprov-checks-'));
  writeFileSync(join(dir, 'x.key'), keyPem);
  writeFileSync(
    join(dir, 'x-chain.pem'),
    [pem, ...chain, readFileSync(join(pkiDir(), 'root.pem'), 'utf8')].join(''),
  );
  writeFileSync(join(dir, 'x.pem'), pem);
  return signPdf(await unsignedLetter(), {
    signer: rawSigner('x', dir),
    date: day('2026-01-01'),
    crypto: nodeCrypto,
    timestamper: timestamperAt(pkiDir(), 'tsa', day('2026-08-01')),
  });
}
const root = () => ({
  certPem: readFileSync(join(pkiDir(), 'root.pem'), 'utf8'),
  keyPem: readFileSync(join(pkiDir(), 'root.key'), 'utf8'),
});
const FOREVER = { notBefore: day('2000-01-01'), notAfter: day('2099-01-01') };
const SIGNING = { digitalSignature: true, nonRepudiation: true };

/** A leaf issued by `issuer` with these key usages and extended key usages. */
function leaf(
  issuer: { certPem: string; keyPem: string },
  o: { eku?: string[]; cn?: string } = {},
) {
  const k = newRsaKey(2048);
  const pem = issueCertificate({
    subject: { commonName: o.cn ?? 'docprov test leaf', organizationName: 'docprov tests' },
    publicKeyPem: k.publicKeyPem,
    issuer,
    serial: String(Math.floor(Math.random() * 1e9)),
    ...FOREVER,
    keyUsage: SIGNING,
    extKeyUsage: o.eku ?? ['1.3.6.1.5.5.7.3.36'],
  });
  return { pem, keyPem: k.privateKeyPem };
}

let good: Report;
beforeAll(async () => {
  good = await verifyLetter(
    await make({ signer: 'signer', claimed: day('2026-01-01'), sigTs: ['tsa', day('2026-08-01')] }),
    [fresh()],
  );
});

describe('the chain', () => {
  it('the baseline is authentic', () => expect(good.verdict, good.summary).toBe('authentic'));
  it("an issuer is chosen by its signature on the child, not its name: a forged root's child is untrusted", async () => {
    // Named as issued by the test root, signed by another key.
    const forged = leaf({
      certPem: root().certPem,
      keyPem: readFileSync(join(pkiDir(), 'other.key'), 'utf8'),
    });
    const r = await verifyLetter(await signedBy(forged.pem, forged.keyPem), [fresh()]);
    expect(r.verdict).toBe('intact-untrusted');
    expect(check(r, 'chain')).toMatchObject({ status: 'fail', code: 'untrusted' });
  });
  it('a trust anchor is matched by its key, not its name', async () => {
    const k = newRsaKey(2048);
    const impostor = issueCertificate({
      subject: { commonName: 'docprov Test Root CA', organizationName: 'docprov tests' },
      publicKeyPem: k.publicKeyPem,
      selfKeyPem: k.privateKeyPem,
      serial: '01',
      ...FOREVER,
      ca: { pathLen: 0 },
    });
    const anchors = [parseCertificate(pemBlocks(impostor)[0]!, nodeCrypto)];
    const pdf = await make({
      signer: 'signer',
      claimed: day('2026-01-01'),
      sigTs: ['tsa', day('2026-08-01')],
    });
    const r = await verifyLetter(pdf, [fresh()], { anchors });
    expect(check(r, 'chain')).toMatchObject({ status: 'fail', code: 'untrusted' });
    expect(r.verdict).toBe('intact-untrusted');
  });
  it('an issuer that is not a CA (basicConstraints) cannot issue', async () => {
    const signer = {
      certPem: readFileSync(join(pkiDir(), 'signer.pem'), 'utf8'),
      keyPem: readFileSync(join(pkiDir(), 'signer.key'), 'utf8'),
    };
    const child = leaf(signer, { cn: 'docprov test child of a leaf' });
    const r = await verifyLetter(await signedBy(child.pem, child.keyPem, [signer.certPem]), [
      fresh(),
    ]);
    expect(check(r, 'key-usage')).toMatchObject({ status: 'fail', code: 'bad-key-usage' });
    expect(check(r, 'key-usage')!.message).toMatch(/is not a CA/);
    expect(r.verdict).toBe('intact-untrusted');
  });
  it('a signer whose extended key usage excludes document signing may not sign', async () => {
    const web = leaf(root(), { eku: ['serverAuth'] });
    const r = await verifyLetter(await signedBy(web.pem, web.keyPem), [fresh()]);
    expect(check(r, 'key-usage')).toMatchObject({ status: 'fail', code: 'bad-key-usage' });
    expect(r.verdict).toBe('intact-untrusted');
  });
  it('a certificate with a critical extension docprov does not know is unusable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'docprov-critical-'));
    for (const f of ['root.pem', 'root.key']) cpSync(join(pkiDir(), f), join(dir, f));
    opensslCert(dir, 'critical', {
      serial: '0x7001',
      extensions:
        'basicConstraints = critical, CA:FALSE\nkeyUsage = critical, digitalSignature\n1.3.6.1.4.1.55555.9 = critical, ASN1:NULL\n',
    });
    const r = await verifyLetter(
      await signedBy(
        readFileSync(join(dir, 'critical.pem'), 'utf8'),
        readFileSync(join(dir, 'critical.key'), 'utf8'),
      ),
      [fresh()],
    );
    expect(check(r, 'key-usage')).toMatchObject({ status: 'fail', code: 'bad-key-usage' });
    expect(check(r, 'key-usage')!.message).toMatch(/critical extension/);
  });
  it('a signer not yet valid at the proven time is refused (notBefore)', async () => {
    const pdf = await make({
      signer: 'notyet',
      claimed: day('2026-01-01'),
      sigTs: ['tsa', day('2026-08-01')],
    });
    const r = await verifyLetter(pdf, [fresh()]);
    expect(check(r, 'certificate-validity')).toMatchObject({ status: 'fail' });
    expect(r.verdict).toBe('intact-untrusted');
  });
});

describe('the CMS', () => {
  const base = () =>
    make({ signer: 'signer', claimed: day('2026-01-01'), sigTs: ['tsa', day('2026-08-01')] });
  it('the whole message digest is compared: one wrong byte at its end is a changed document', async () => {
    const pdf = withCustomCms(await base(), 'signer', {
      attributes: (d, cert) => {
        const wrong = new Uint8Array(d);
        wrong[31] = wrong[31]! ^ 1;
        return [
          attr(OID.contentType, oid(OID.data)),
          attr(OID.messageDigest, octets(wrong)),
          attr(OID.signingCertificateV2, essV2(cert)),
        ];
      },
    });
    const r = await verifyLetter(pdf, [fresh()]);
    expect(r.verdict).toBe('invalid');
    expect(check(r, 'message-digest')).toMatchObject({ status: 'fail', code: 'digest-mismatch' });
    expect(check(r, 'signature-value')).toMatchObject({ status: 'pass' });
  });
  it('an ESS signing-certificate naming another certificate is certificate substitution', async () => {
    const pdf = withCustomCms(await base(), 'signer', {
      attributes: (d) => [
        attr(OID.contentType, oid(OID.data)),
        attr(OID.messageDigest, octets(d)),
        attr(OID.signingCertificateV2, essV2(certOf('rotated'))),
      ],
    });
    const r = await verifyLetter(pdf, [fresh()]);
    expect(check(r, 'signing-certificate')).toMatchObject({
      status: 'fail',
      code: 'signing-certificate-mismatch',
    });
    expect(r.verdict).toBe('invalid');
  });
  it('CMS algorithm protection naming other algorithms fails the container, not nothing', async () => {
    const pdf = withCustomCms(await base(), 'signer', {
      attributes: (d, cert) => [
        attr(OID.contentType, oid(OID.data)),
        attr(OID.messageDigest, octets(d)),
        attr(OID.signingCertificateV2, essV2(cert)),
        attr(
          OID.cmsAlgorithmProtection,
          seq([algorithm(OID.sha512), explicit(1, seq([oid('1.2.840.113549.1.1.11'), nul()]))]),
        ),
      ],
    });
    const r = await verifyLetter(pdf, [fresh()]);
    expect(check(r, 'cms-structure')).toMatchObject({ status: 'fail', code: 'bad-cms' });
    expect(check(r, 'cms-structure')!.message).toMatch(/algorithm protection/);
    expect(r.verdict).toBe('invalid');
  });
  it('a second SignerInfo is refused, not ignored behind the first', async () => {
    const pdf = withCustomCms(await base(), 'signer', {
      moreSignerInfos: [
        seq([
          int(1),
          seq([certOf('rotated').issuerDer, certOf('rotated').serialDer]),
          algorithm(OID.sha256),
          algorithm(OID.rsaEncryption, nul()),
          octets(new Uint8Array(256)),
        ]),
      ],
    });
    const r = await verifyLetter(pdf, [fresh()]);
    expect(check(r, 'cms-structure')).toMatchObject({ status: 'fail' });
    expect(check(r, 'cms-structure')!.message).toMatch(/2 SignerInfos; exactly one/);
    expect(r.verdict).toBe('invalid');
  });
});

describe('timestamps', () => {
  it("a document timestamp's whole imprint is compared: one wrong byte at its end is a change", async () => {
    const signed = await make({
      signer: 'signer',
      claimed: day('2026-01-01'),
      sigTs: ['tsa', day('2026-08-01')],
    });
    const stamped = await addDocTimestamp(
      signed,
      {
        reserve: 8192,
        timestamp: async (imprint) => {
          const wrong = new Uint8Array(imprint);
          wrong[31] = wrong[31]! ^ 1;
          return tokenBy(pkiDir(), 'tsa', wrong, day('2026-09-01'));
        },
      },
      nodeCrypto,
    );
    const r = await verifyLetter(stamped, [fresh()]);
    expect(r.verdict).toBe('invalid');
    expect(check(r, 'message-digest', 'timestamp')).toMatchObject({
      status: 'fail',
      code: 'digest-mismatch',
    });
  });
  it('a timestamp from an authority nobody trusts proves no time', async () => {
    const pdf = await make({
      signer: 'signer',
      claimed: day('2026-01-01'),
      sigTs: ['stranger', day('2026-08-01')],
    });
    const r = await verifyLetter(pdf, [fresh()]);
    expect(check(r, 'signature-timestamp')).toMatchObject({ status: 'skip' });
    expect(r.timeProven).toBe(false);
    expect(check(r, 'revocation')).toMatchObject({ status: 'skip', code: 'time-not-proven' });
    expect(r.verdict).toBe('intact-untrusted');
  });
});

describe('OCSP responses', () => {
  /**
   * An OCSP response about `about` (a test PKI name, default the signer, serial 1001), signed by
   * `responder` (root, or a certificate in `dir`), saying good, or revoked at `revoked`.
   */
  function ocsp(
    responder: string,
    dir: string,
    o: {
      about?: string;
      aboutPath?: string;
      serial?: string;
      revoked?: string;
      noCerts?: boolean;
    } = {},
  ): Uint8Array {
    const p = (n: string) => join(dir, n);
    const about = o.aboutPath ?? join(pkiDir(), `${o.about ?? 'signer'}.pem`);
    execFileSync('openssl', [
      'ocsp',
      '-issuer',
      p('root.pem'),
      '-cert',
      about,
      '-no_nonce',
      '-reqout',
      p('req.der'),
    ]);
    const serial = o.serial ?? '1001';
    writeFileSync(
      p('index.txt'),
      o.revoked
        ? `R\t21000101000000Z\t${o.revoked}\t${serial}\tunknown\t/CN=x\n`
        : `V\t21000101000000Z\t\t${serial}\tunknown\t/CN=x\n`,
    );
    execFileSync(
      'openssl',
      [
        'ocsp',
        '-index',
        p('index.txt'),
        '-rsigner',
        p(`${responder}.pem`),
        '-rkey',
        p(`${responder}.key`),
        '-CA',
        p('root.pem'),
        '-reqin',
        p('req.der'),
        '-respout',
        p('resp.der'),
        '-ndays',
        '1',
        ...(o.noCerts ? ['-resp_no_certs'] : []),
      ],
      { stdio: 'ignore' },
    );
    return new Uint8Array(readFileSync(p('resp.der')));
  }
  let dir: string;
  let pdf: Uint8Array;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'docprov-ocsp-'));
    for (const f of ['root.pem', 'root.key']) cpSync(join(pkiDir(), f), join(dir, f));
    const base = 'basicConstraints = critical, CA:FALSE\nkeyUsage = critical, digitalSignature\n';
    opensslCert(dir, 'responder', {
      serial: '0x7101',
      extensions: `${base}extendedKeyUsage = OCSPSigning\n`,
    });
    opensslCert(dir, 'responder2', {
      serial: '0x7104',
      extensions: `${base}extendedKeyUsage = OCSPSigning\n`,
    });
    // Valid in 2001 only: its answers today are signed by a certificate long expired.
    opensslCert(dir, 'responder-expired', {
      serial: '0x7103',
      extensions: `${base}extendedKeyUsage = OCSPSigning\n`,
      from: '2001-01-01',
      days: 365,
    });
    opensslCert(dir, 'impostor', {
      serial: '0x7102',
      extensions: `${base}extendedKeyUsage = emailProtection\n`,
    });
    // No CRL anywhere: the timestamp proves no time, so the signer is judged now, and only an
    // OCSP response (issued after this test's clock) can show it unrevoked.
    pdf = await make({
      signer: 'signer',
      claimed: day('2026-01-01'),
      sigTs: ['tsa', day('2026-08-01')],
    });
  });
  const withResponse = (resp: Uint8Array) =>
    verifyLetter(pdf, [], { revocation: { crls: [], ocsps: [resp] } });
  it('one signed by the issuer itself counts', async () => {
    const r = await withResponse(ocsp('root', dir));
    expect(check(r, 'revocation')).toMatchObject({ status: 'pass' });
    expect(check(r, 'revocation')!.message).toMatch(/an OCSP response produced/);
    expect(r.verdict, r.summary).toBe('authentic');
  });
  it('a delegated responder counts only with id-kp-OCSPSigning', async () => {
    const delegated = await withResponse(ocsp('responder', dir));
    expect(check(delegated, 'revocation')).toMatchObject({ status: 'pass' });
    expect(delegated.verdict, delegated.summary).toBe('authentic');
    const impostor = await withResponse(ocsp('impostor', dir));
    expect(check(impostor, 'revocation')).toMatchObject({ status: 'skip' });
    expect(impostor.verdict).toBe('intact-untrusted');
  });
  it('a delegated responder whose certificate was not valid when it answered counts for nothing', async () => {
    const r = await withResponse(ocsp('responder-expired', dir));
    expect(check(r, 'revocation')).toMatchObject({ status: 'skip' });
    expect(r.verdict).toBe('intact-untrusted');
  });
  it('a delegated responder shown revoked before it answered counts for nothing', async () => {
    const resp = ocsp('responder', dir);
    // Issued before the signature's timestamp: it says nothing of the signer, only of the responder.
    const revokedResponder = crl(day('2026-07-01'), [['7101', day('2026-06-01')]], 'root.key', 9);
    const r = await verifyLetter(pdf, [], {
      revocation: { crls: [revokedResponder], ocsps: [resp] },
    });
    expect(check(r, 'revocation')).toMatchObject({ status: 'skip' });
    expect(r.verdict).toBe('intact-untrusted');
    // The same CRL without that revocation leaves the responder's answer standing.
    const fine = await verifyLetter(pdf, [], {
      revocation: { crls: [crl(day('2026-07-01'), [], 'root.key', 10)], ocsps: [resp] },
    });
    expect(fine.verdict, fine.summary).toBe('authentic');
  });
  it("a delegated responder shown revoked by its issuer's own OCSP answer counts for nothing", async () => {
    const good = ocsp('responder', dir);
    const responderRevoked = ocsp('root', dir, {
      aboutPath: join(dir, 'responder.pem'),
      serial: '7101',
      revoked: '260601000000Z',
    });
    const r = await verifyLetter(pdf, [], {
      revocation: { crls: [], ocsps: [responderRevoked, good] },
    });
    expect(check(r, 'revocation')).toMatchObject({ status: 'skip' });
    expect(r.verdict).toBe('intact-untrusted');
    // The issuer's answer that the responder is good leaves its answer standing.
    const responderGood = ocsp('root', dir, {
      aboutPath: join(dir, 'responder.pem'),
      serial: '7101',
    });
    // About a responder, only its issuer's own answer counts: another delegated responder's does not.
    const saidByPeer = ocsp('responder2', dir, {
      aboutPath: join(dir, 'responder.pem'),
      serial: '7101',
      revoked: '260601000000Z',
    });
    const peer = await verifyLetter(pdf, [], {
      revocation: { crls: [], ocsps: [saidByPeer, good] },
    });
    expect(peer.verdict, peer.summary).toBe('authentic');
    const fine = await verifyLetter(pdf, [], {
      revocation: { crls: [], ocsps: [responderGood, good] },
    });
    expect(fine.verdict, fine.summary).toBe('authentic');
  });
  it('dates a responder chose cannot place it: its certificate must hold at producedAt and at thisUpdate, and thisUpdate may not follow producedAt', async () => {
    // producedAt inside the expired responder's year of validity (faketime), thisUpdate the
    // test's now: without these rules it would speak for the signer now.
    const forged = (producedAt: string, responder: string, thisUpdate: string) => {
      const out = join(dir, 'forged.der');
      execFileSync('faketime', [
        producedAt,
        '/usr/bin/python3',
        join(ROOT, 'test', 'ocsp', 'forge.py'),
        join(dir, 'root.pem'),
        join(dir, `${responder}.pem`),
        join(dir, `${responder}.key`),
        join(pkiDir(), 'signer.pem'),
        thisUpdate,
        out,
      ]);
      return new Uint8Array(readFileSync(out));
    };
    const r = await withResponse(
      forged('2001-06-01 00:00:00', 'responder-expired', '2026-12-01T00:00:00'),
    );
    expect(check(r, 'revocation')).toMatchObject({ status: 'skip' });
    expect(r.verdict).toBe('intact-untrusted');
    // A responder valid throughout, whose answer is dated a month after it was produced: dropped.
    const ahead = await withResponse(
      forged('2026-11-01 00:00:00', 'responder', '2026-12-01T00:00:00'),
    );
    expect(check(ahead, 'revocation')).toMatchObject({ status: 'skip' });
    expect(ahead.verdict).toBe('intact-untrusted');
  });
  it('one whose signature does not verify counts for nothing', async () => {
    const resp = new Uint8Array(ocsp('root', dir, { noCerts: true }));
    // Without certificates, the signature BIT STRING ends the response.
    resp[resp.length - 1] = resp[resp.length - 1]! ^ 1;
    const r = await withResponse(resp);
    expect(check(r, 'revocation')).toMatchObject({ status: 'skip' });
    expect(r.verdict).toBe('intact-untrusted');
  });
  it('an answer about another certificate says nothing about this one', async () => {
    const r = await withResponse(ocsp('root', dir, { about: 'rotated', serial: '1002' }));
    expect(check(r, 'revocation')).toMatchObject({ status: 'skip' });
    expect(r.verdict).toBe('intact-untrusted');
  });
  it('one that says revoked before the time judged makes the signature invalid', async () => {
    const r = await withResponse(ocsp('root', dir, { revoked: '260601000000Z' }));
    expect(check(r, 'revocation')).toMatchObject({ status: 'fail', code: 'revoked' });
    expect(r.verdict).toBe('invalid');
  });
});

describe('an issuer that has expired, without a timestamp', () => {
  it('the path is judged now too: a retired CA cannot vouch for a signer of any claimed date', async () => {
    const pdf = await make({ signer: 'under-expired', claimed: day('2024-06-01') });
    const r = await verifyLetter(pdf);
    expect(check(r, 'certificate-validity')).toMatchObject({ status: 'fail' });
    expect(check(r, 'certificate-validity')!.message).toMatch(
      /docprov test inter-expired.*\(now: no timestamp proves when it signed\)/,
    );
    expect(r.verdict).not.toBe('authentic');
  });
  it('with a trusted timestamp from while the issuer was valid, the path holds at that time', async () => {
    const pdf = await make({
      signer: 'under-expired',
      claimed: day('2024-06-01'),
      sigTs: ['tsa', day('2024-06-01')],
    });
    // The root's CRL of today shows the TSA unrevoked now, so its token proves 2024-06-01.
    const r = await verifyLetter(pdf, [crl(day('2026-12-01'), [], 'root.key', 12)]);
    expect(r.timeProven).toBe(true);
    expect(check(r, 'certificate-validity')).toMatchObject({ status: 'pass' });
  });
});

describe("revocation data signed outside its issuer's validity", () => {
  it('a CRL issued after its issuer expired says nothing, a revocation in it included', async () => {
    // A signature proven in 2024 by a trusted timestamp, while its issuer (valid 2020-2025) was valid.
    const pdf = await make({
      signer: 'under-expired',
      claimed: day('2024-06-01'),
      sigTs: ['tsa', day('2024-06-01')],
    });
    const inter = parseCertificate(
      pemBlocks(readFileSync(join(pkiDir(), 'inter-expired.pem'), 'utf8'))[0]!,
      nodeCrypto,
    );
    // The retired CA's key, used in 2026, "revokes" the signer as of 2024-01-01.
    const late = issueCrl({
      issuer: inter,
      keyPem: readFileSync(join(pkiDir(), 'inter-expired.key'), 'utf8'),
      thisUpdate: day('2026-11-01'),
      nextUpdate: day('2099-01-01'),
      revoked: [['5002', day('2024-01-01')]],
      number: 1,
    });
    const r = await verifyLetter(pdf, [late, crl(day('2026-12-01'), [], 'root.key', 13)]);
    expect(check(r, 'revocation')!.status).not.toBe('fail');
    expect(r.verdict).not.toBe('invalid');
  });
  it('a CRL dated before its issuer was valid says nothing, a revocation in it included', async () => {
    const pdf = await make({
      signer: 'revoked',
      claimed: day('2026-01-01'),
      sigTs: ['tsa', day('2026-08-01')],
    });
    const early = crl(day('1999-06-01'), [['1010', day('1999-01-01')]], 'root.key', 11);
    const r = await verifyLetter(pdf, [early]);
    expect(check(r, 'revocation')!.status).not.toBe('fail');
    expect(r.verdict).not.toBe('invalid');
  });
});

describe('revocation at the edges of time', () => {
  const R = day('2026-06-01');
  const pdfAt = (ts: string) =>
    make({ signer: 'revoked', claimed: day('2026-01-01'), sigTs: ['tsa', day(ts)] });
  it('data issued exactly at the proven time counts; a revocation exactly then stands', async () => {
    const pdf = await pdfAt('2026-08-01');
    expect((await verifyLetter(pdf, [crl(day('2026-08-01'))])).verdict).toBe('authentic');
    const at = await pdfAt('2026-06-01');
    const r = await verifyLetter(at, [crl(day('2026-07-01'), [['1010', R]])]);
    expect(check(r, 'revocation')).toMatchObject({ status: 'fail', code: 'revoked' });
  });
  it('the earliest revocation any CRL shows is the one that counts, in any order', async () => {
    const pdf = await pdfAt('2026-08-01');
    // The same serial, listed by one CRL as revoked in 2027 and by another in June 2026.
    const late = crl(day('2027-02-01'), [['1010', day('2027-01-01')]], 'root.key', 5);
    const early = crl(day('2026-09-01'), [['1010', R]], 'root.key', 6);
    for (const order of [
      [late, early],
      [early, late],
    ]) {
      const r = await verifyLetter(pdf, order);
      expect(check(r, 'revocation')).toMatchObject({ status: 'fail', code: 'revoked' });
      expect(check(r, 'revocation')!.message).toMatch(/revoked on 2026-06-01/);
    }
  });
});

describe('the ASN.1 reader', () => {
  it('bounds nesting depth on its own, far below the element cap', () => {
    let der = nul();
    for (let i = 0; i < 100; i++) der = seq([der]);
    expect(() => readAsn1(der)).toThrow(/nested deeper than 64/);
  });
});

describe('a folder and a text copy', () => {
  let out: string;
  const schema = loadSchema('manifest');
  const ctx = () => ({
    crypto: nodeCrypto,
    anchors: [testRoot()],
    now: NOW,
    revocation: laterRevocation(),
  });
  const folder = (files: Map<string, Uint8Array>) =>
    verifyFolder(
      {
        name: out,
        files: new Map([...files].filter(([n]) => n !== `${ID}.pdf`)),
        pdf: { name: `${ID}.pdf`, source: memorySource(files.get(`${ID}.pdf`)!) },
        schema,
      },
      ctx(),
    );
  /** Every file of the built folder, by name. */
  const read = () =>
    new Map(readdirSync(out).map((n) => [n, new Uint8Array(readFileSync(join(out, n)))]));
  beforeAll(() => {
    out = join(mkdtempSync(join(tmpdir(), 'docprov-checks-folder-')), ID);
    const b = docprov(['build', LETTER_DIR, '-o', out], {
      env: { ...signerEnv('signer'), SOURCE_DATE_EPOCH: '1795000000' },
    });
    if (b.code !== 0) throw new Error(b.stderr);
  });
  it('the folder is authentic as built', async () => {
    expect((await folder(read())).verdict).toBe('authentic');
  });
  it.each(['manifest.json.p7s', 'SHA256SUMS.p7s'])(
    '%s whose signature value does not verify fails',
    async (name) => {
      const files = read();
      const p7s = new Uint8Array(files.get(name)!);
      // The signature value is the SignerInfo's last OCTET STRING: flip its last byte.
      p7s[p7s.length - 1] = p7s[p7s.length - 1]! ^ 1;
      files.set(name, p7s);
      const r = await folder(files);
      expect(r.verdict).not.toBe('authentic');
      expect(
        r.checks.find(
          (c) =>
            c.id === (name === 'SHA256SUMS.p7s' ? 'sha256sums' : 'manifest-signature') &&
            c.status === 'fail',
        ),
      ).toBeDefined();
    },
  );
  it('a text copy is compared only with a canonical text whose digest the manifest lists', async () => {
    const files = read();
    const canonical = new TextEncoder().encode(
      new TextDecoder().decode(files.get(`${ID}.txt`)!).replace('apartheid', 'democratic'),
    );
    const r = await verifyTextCopy(
      {
        name: 'copy.txt',
        copy: canonical,
        manifest: {
          bytes: files.get('manifest.json')!,
          p7s: files.get('manifest.json.p7s')!,
          schema,
        },
        canonical,
      },
      ctx(),
    );
    expect(r.verdict).toBe('invalid');
    expect(r.checks.find((c) => c.id === 'text-match')).toMatchObject({
      status: 'fail',
      code: 'no-canonical-text',
    });
  });
});
