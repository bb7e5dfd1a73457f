import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { memorySource } from '../src/core/pdf/source.js';
import { parseCertificate, pemBlocks } from '../src/core/pki/certificate.js';
import type { Report } from '../src/core/verify/report.js';
import { verifyPdfFile } from '../src/core/verify/verify.js';
import { nodeCrypto } from '../src/node/crypto.js';
import { docprov, hasStackTrace } from './helpers/cli.js';
import { judge, mutoolWarnings } from './helpers/judges.js';
import { ROOT } from './helpers/paths.js';
import { laterRevocation, nssDbTrusting, pkiDir, testRootTrust } from './helpers/pki.js';
import {
  judgeVersions,
  mutoolSign,
  pdfsig,
  type JudgeVerdict,
} from './helpers/signature-judges.js';
import { bytesOf, latin1 } from './tamper/edit.js';
import { makeFixture } from './tamper/fixture.js';
import {
  makeCorpus,
  makeGoodVectors,
  SHADOW_TEXT,
  type Fixture,
  type Vector,
} from './tamper/make-corpus.js';
import { docprovColumn, readmeVersions, tamperReadme, UPDATE_COMMAND } from './tamper/table.js';

const NOW = new Date('2026-12-01T00:00:00Z');
const README = `${ROOT}test/tamper/README.md`;
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
    { crypto: nodeCrypto, anchors: anchors(), now, revocation: laterRevocation() },
  );
const failing = (r: Report) => r.checks.filter((c) => c.status === 'fail');

beforeAll(async () => {
  fx = await makeFixture();
  corpus = makeCorpus(fx);
  good = makeGoodVectors(fx);
});

describe('good signatures verify', () => {
  it('every good vector is authentic, every check passing or skipped', async () => {
    for (const v of good) {
      const r = await verify(v.bytes);
      expect(r.verdict, `${v.name}: ${r.summary}`).toBe('authentic');
      expect(failing(r)).toEqual([]);
    }
  });
});

describe('the tamper corpus: each vector is rejected by the check that should catch it', () => {
  it('has the vectors the issue asks for', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(20);
    for (const part of ['shadow attack', 'signature wrapping', 'SHA-1', 'DocMDP', '/Contents gap'])
      expect(
        corpus.some((v) => v.name.includes(part)),
        part,
      ).toBe(true);
  });
  it('every vector gets its expected verdict and failing check', async () => {
    for (const v of corpus) {
      const r = await verify(v.bytes);
      const failed = failing(r).map((c) => c.id);
      expect.soft(r.verdict, `${v.name}: ${r.summary}`).toBe(v.expect.verdict);
      expect.soft(failed, `${v.name}: failed ${failed.join(', ')}`).toContain(v.expect.check);
    }
  });
  it('modification after signing says what was added', async () => {
    const v = corpus.find((x) => x.name.includes('shadow attack'))!;
    const r = await verify(v.bytes);
    const msg = r.checks.find((c) => c.id === 'unchanged-after-signing')!.message;
    expect(msg).toMatch(
      /^modified after signing: \d+ byte\(s\) were added: (the trailer's \/Info changed; )?page object \d+ changed \([^)]*\/Contents[^)]*\); object 901 was added; object 902 \(\/Font\) was added$/,
    );
  });
  it('the shadow attack is real: viewers show its page instead of the letter', () => {
    const dir = mkdtempSync(join(tmpdir(), 'docprov-shadow-'));
    const page1 = (file: string) =>
      judge('pdftotext', ['-f', '1', '-l', '1', '-enc', 'UTF-8', file, '-']).stdout;
    writeFileSync(join(dir, 'signed.pdf'), fx.signed);
    expect(page1(join(dir, 'signed.pdf'))).toContain('Dear Mr. Secretary-General');
    const v = corpus.find((x) => x.name.includes('shadow attack'))!;
    const file = join(dir, 'shadow.pdf');
    writeFileSync(file, v.bytes);
    const shown = page1(file);
    expect(shown).toContain(SHADOW_TEXT);
    expect(shown).not.toContain('Dear Mr.');
    expect(mutoolWarnings(file, dir)).toEqual([]);
    expect(readFileSync(join(dir, 'page-1.png')).length).toBeGreaterThan(1000);
    expect(judge('qpdf', ['--check', file]).stdout).toContain(
      'No syntax or stream encoding errors found',
    );
  });
  it('through the CLI: exit 1, the expected verdict, no stack trace', () => {
    const dir = mkdtempSync(join(tmpdir(), 'docprov-corpus-cli-'));
    const shown = { invalid: 'NOT AUTHENTIC', 'intact-untrusted': 'INTACT BUT NOT TRUSTED' };
    for (const v of corpus) {
      const file = join(dir, 'v.pdf');
      writeFileSync(file, v.bytes);
      const r = docprov(['verify', file, ...testRootTrust(), '--now', NOW.toISOString()]);
      expect(r.code, v.name).toBe(1);
      expect(r.stdout, v.name).toContain(
        `verdict    ${shown[v.expect.verdict as keyof typeof shown]}`,
      );
      expect(hasStackTrace(r.stdout + r.stderr)).toBe(false);
    }
  });
  it.each([
    ['(docprov-certification)', '(docprov-certificatioX)', '"(docprov-certification)" is missing'],
    ['/Filter /FlateDecode', '/Filter /FlateDecodX', '"/Filter /FlateDecode" is missing'],
    ['/Type /Page\n', '/Type /Pagx\n', 'the first page object'],
    [
      '/SubFilter /ETSI.CAdES.detached',
      '/SubFilter /ETSI.CAdES.detacheX',
      '"/SubFilter /ETSI.CAdES',
    ],
  ])(
    'the corpus generator throws, naming the marker, when %j is missing',
    (marker, other, says) => {
      const signed = bytesOf(latin1(fx.signed).replaceAll(marker, other));
      expect(() => makeCorpus({ ...fx, signed })).toThrow(`tamper corpus: the marker ${says}`);
    },
  );
});

describe('the same vectors judged by pdfsig and mutool sign -v (test/tamper/README.md)', () => {
  interface Judged {
    v: Vector;
    report: Report;
    pdfsig: JudgeVerdict;
    mutool: JudgeVerdict;
  }
  let judged: Judged[];
  beforeAll(async () => {
    const nss = nssDbTrusting(join(pkiDir(), 'root.pem'));
    const dir = mkdtempSync(join(tmpdir(), 'docprov-judged-'));
    judged = [];
    for (const [i, v] of [...good, ...corpus].entries()) {
      const file = join(dir, `${i}.pdf`);
      writeFileSync(file, v.bytes);
      judged.push({
        v,
        report: await verify(v.bytes),
        pdfsig: pdfsig(file, nss),
        mutool: mutoolSign(file),
      });
    }
  });

  it('the judges agree where they are right: every byte change in the signed ranges is a digest mismatch to both', () => {
    const digestVectors = judged.filter((j) => j.v.expect.check === 'message-digest');
    expect(digestVectors.length).toBeGreaterThanOrEqual(4);
    for (const { v, pdfsig: p, mutool: m } of judged) {
      if (v.expect.check === 'message-digest' && v.expect.verdict === 'invalid')
        expect(v.judges, v.name).toEqual({
          pdfsig: 'Digest Mismatch',
          mutool: 'changed since signing',
        });
      if (v.judges?.pdfsig)
        expect.soft(p.says, `pdfsig on ${v.name}:\n${p.output}`).toBe(v.judges.pdfsig);
      if (v.judges?.mutool)
        expect.soft(m.says, `mutool on ${v.name}:\n${m.output}`).toBe(v.judges.mutool);
    }
  });

  it('says why wherever docprov is stricter than a judge, and only there', () => {
    for (const { v, report, pdfsig: p, mutool: m } of judged) {
      // Stricter: docprov refuses what a judge accepts, or calls invalid what it only warns about.
      const laxer = [p, m].some((j) =>
        report.verdict === 'invalid'
          ? j.stance !== 'rejects'
          : report.verdict !== 'authentic' && j.stance === 'accepts',
      );
      expect.soft(Boolean(v.stricter), `${v.name}: stricter than a judge? ${laxer}`).toBe(laxer);
    }
  });

  it('the table in test/tamper/README.md is what this run produces', () => {
    const rows = judged.map(({ v, report, pdfsig: p, mutool: m }) => ({
      name: v.name,
      docprov: `${report.verdict}${failing(report).length ? ` (${[...new Set(failing(report).map((c) => c.id))].join(', ')})` : ''}`,
      pdfsig: p.says,
      mutool: m.says,
      ...(v.stricter ? { stricter: v.stricter } : {}),
    }));
    const versions = judgeVersions();
    const made = tamperReadme(rows, versions);
    console.log(made);
    if (process.env.DOCPROV_UPDATE_TAMPER_TABLE === '1') writeFileSync(README, made);
    expect(existsSync(README), `missing: make it with ${UPDATE_COMMAND}`).toBe(true);
    const committed = readFileSync(README, 'utf8');
    if (readmeVersions(committed) === versions)
      expect(committed, `stale: regenerate it with ${UPDATE_COMMAND}`).toBe(made);
    else {
      // Other judge versions may word their verdicts differently: docprov's column must still hold.
      console.warn(
        `test/tamper/README.md was made with ${readmeVersions(committed)}, this run has ${versions}: only the docprov column is compared`,
      );
      expect(docprovColumn(committed)).toEqual(docprovColumn(made));
    }
  });
});
