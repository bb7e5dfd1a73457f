import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDocument } from '../src/core/build/index.js';
import { memorySource } from '../src/core/pdf/source.js';
import { parseCertificate, pemBlocks } from '../src/core/pki/certificate.js';
import { signPdf } from '../src/core/sign/sign-pdf.js';
import type { Report } from '../src/core/verify/report.js';
import { verifyPdfFile } from '../src/core/verify/verify.js';
import { nodeCrypto } from '../src/node/crypto.js';
import { bodyFont } from '../src/node/fonts.js';
import { harfbuzzWasm } from '../src/node/harfbuzz.js';
import { issueCertificate, newRsaKey } from '../src/node/pki.js';
import { loadSchema } from '../src/node/schemas.js';
import { docprov, hasStackTrace } from './helpers/cli.js';
import { rawSigner } from './helpers/identity.js';
import { LETTER_DIR } from './helpers/paths.js';
import { pkiDir } from './helpers/pki.js';
import { makeCorpus, makeGoodVectors, type Fixture, type Vector } from './tamper/make-corpus.js';

const SIGNED_AT = new Date('2026-11-18T11:06:40Z');
const NOW = new Date('2026-12-01T00:00:00Z');
let fx: Fixture;
let corpus: Vector[];
let good: Vector[];
const anchors = () =>
  pemBlocks(readFileSync(join(pkiDir(), 'root.pem'), 'utf8')).map((d) =>
    parseCertificate(d, nodeCrypto),
  );
const verify = (bytes: Uint8Array, now = NOW): Promise<Report> =>
  verifyPdfFile(
    { name: 'vector.pdf', source: memorySource(bytes) },
    { crypto: nodeCrypto, anchors: anchors(), now },
  );

beforeAll(async () => {
  const built = await buildDocument({
    source: readFileSync(`${LETTER_DIR}/source.txt`),
    metadata: readFileSync(`${LETTER_DIR}/metadata.json`),
    metadataSchema: loadSchema('letter-metadata'),
    font: bodyFont(),
    harfbuzz: harfbuzzWasm(),
    toolVersion: '0.0.0-test',
    crypto: nodeCrypto,
    sourceDateEpoch: '1795000000',
  });
  const base = built.basePdf;
  const signer = rawSigner('signer');
  const as = (name: string, date: Date) =>
    signPdf(base, { signer: rawSigner(name), date, crypto: nodeCrypto });
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
  fx = {
    signed: await signPdf(base, { signer, date: SIGNED_AT, crypto: nodeCrypto }),
    untrusted: await as('stranger', SIGNED_AT),
    expiredNow: await as('expired', new Date('2005-06-01T00:00:00Z')),
    outsideValidity: await as('expired', SIGNED_AT),
    selfSigned: await signPdf(base, {
      signer: rawSigner('self', dir),
      date: SIGNED_AT,
      crypto: nodeCrypto,
    }),
    signerKeyPem: signer.keyPem,
    signerCertPem: signer.certPem,
  };
  corpus = makeCorpus(fx);
  good = makeGoodVectors(fx);
});

describe('good signatures verify', () => {
  it('every good vector is authentic, every check passing or skipped', async () => {
    for (const v of good) {
      const r = await verify(v.bytes);
      expect(r.verdict, `${v.name}: ${r.summary}`).toBe('authentic');
      expect(r.checks.filter((c) => c.status === 'fail')).toEqual([]);
    }
  });
});

describe('the tamper corpus: each vector is rejected by the check that should catch it', () => {
  it('has the vectors the issue asks for', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(20);
  });
  it('every vector gets its expected verdict and failing check', async () => {
    for (const v of corpus) {
      const r = await verify(v.bytes);
      const failed = r.checks.filter((c) => c.status === 'fail').map((c) => c.id);
      expect.soft(r.verdict, `${v.name}: ${r.summary}`).toBe(v.expect.verdict);
      expect.soft(failed, `${v.name}: failed ${failed.join(', ')}`).toContain(v.expect.check);
    }
  });
  it('modification after signing says what was added', async () => {
    const v = corpus.find((x) => x.name.includes('shadow attack'))!;
    const r = await verify(v.bytes);
    const msg = r.checks.find((c) => c.id === 'unchanged-after-signing')!.message;
    expect(msg).toMatch(
      /^modified after signing: \d+ byte\(s\) were added: page object \d+ changed \([^)]*\/Contents[^)]*\); object 901 was added$/,
    );
  });
  it('through the CLI: exit 1, a verdict, no stack trace', () => {
    const dir = mkdtempSync(join(tmpdir(), 'docprov-corpus-cli-'));
    for (const v of corpus.slice(0, 8)) {
      const file = join(dir, 'v.pdf');
      writeFileSync(file, v.bytes);
      const r = docprov([
        'verify',
        file,
        '--trust',
        join(pkiDir(), 'root.pem'),
        '--now',
        NOW.toISOString(),
      ]);
      expect(r.code, v.name).toBe(1);
      expect(r.stdout).toMatch(/verdict {4}(NOT AUTHENTIC|INTACT BUT NOT TRUSTED)/);
      expect(hasStackTrace(r.stdout + r.stderr)).toBe(false);
    }
  });
});

describe('random mutations inside the signed ranges', () => {
  it('none of 1,000 single-byte changes is accepted', async () => {
    const s = fx.signed;
    const m = /\/ByteRange \[0 (\d+) (\d+) (\d+)\s*\]/.exec(Buffer.from(s).toString('latin1'))!;
    const [b, c] = [Number(m[1]), Number(m[2])];
    let seed = 0x9e3779b9;
    const rand = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    let accepted = 0;
    const signedLength = b + (s.length - c);
    for (let i = 0; i < 1000; i++) {
      let at = Math.floor(rand() * signedLength);
      if (at >= b) at += c - b;
      const bytes = new Uint8Array(s);
      bytes[at] = (bytes[at]! + 1 + Math.floor(rand() * 255)) & 0xff;
      const r = await verify(bytes);
      if (r.verdict === 'authentic') accepted++;
    }
    expect(accepted).toBe(0);
  });
});
