// Issue 10 item 4: PDFs signed by other tools, verified with the same trusted test root, get the
// verdict ISO 32000-2 and PAdES give them, through the default launcher after a first run.
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { docprov } from './helpers/cli.js';
import { corpusDir, LIMITS, recordRow, runCorpusFile, writeIndex } from './helpers/corpus-run.js';
import { POLICY } from './interop/cases-policy.js';
import { makeInterop } from './interop/make-interop.js';

const pki = inject('pkiDir');
const root = join(pki, 'root.pem');
// Revocation data issued after every time the corpus proves (a reader's fresh CRL).
const later = join(pki, 'root-crl-later.pem');
// Made while the tests are collected: one test per file, named after it.
const dir = corpusDir('interop');
const corpus = await makeInterop(pki, dir);
writeIndex(dir, corpus, [root, later]);
const EXIT = { authentic: 0, 'intact-untrusted': 1, invalid: 1 } as const;

beforeAll(() => {
  // "After a first run": whatever a first run leaves (Node's compile cache, where Node has one).
  docprov(['verify', 'artifacts/khalaf-2017-03-17/khalaf-2017-03-17.pdf']);
});

describe('the interop corpus', () => {
  it('has the vectors the issue asks for', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(30);
    for (const tool of ['pdfsig-', 'mutool-', 'openssl-', 'docmdp-', 'policy-'])
      expect(
        corpus.some((f) => f.name.startsWith(tool)),
        tool,
      ).toBe(true);
  });
  it('an independent judge accepts every file that is authentic or refused only by policy', () => {
    // Neither judge is complete (pdfsig: PSS keys, a second signature's certificate; mutool:
    // PSS padding with an rsaEncryption key), so one of the two must accept: the generator made
    // a sound signature, and a policy refusal is not a broken file.
    const refused = corpus.filter(
      (f) =>
        (f.expect === 'authentic' || f.says === POLICY) &&
        !f.judges.pdfsig.accepts &&
        !f.judges.mutool.accepts,
    );
    expect(
      refused.map((f) => `${f.name}: ${f.judges.pdfsig.says}; ${f.judges.mutool.says}`),
    ).toEqual([]);
  });
});

describe.each(corpus)('$name', (f) => {
  it(`is ${f.expect} (${f.why})`, async () => {
    const r = await runCorpusFile([f.file, '--trust', root, '--revocation', later]);
    recordRow([
      f.name,
      f.expect,
      f.judges.pdfsig.says,
      f.judges.mutool.says,
      r.verdict ?? '-',
      r.code,
      r.seconds.toFixed(2),
      r.rssMb?.toFixed(0),
      r.reason,
    ]);
    expect(r.stackTrace, r.stderr).toBe(false);
    expect(r.verdict, r.reason).toBe(f.expect);
    if (f.says) expect(r.stdout).toMatch(f.says);
    expect(r.code).toBe(EXIT[f.expect]);
    expect(r.seconds).toBeLessThan(LIMITS.seconds);
    expect(r.rssMb).toBeLessThan(LIMITS.rssMb);
  });
  it('gets the same report through the modular CLI and the bundle, cold and warm', () => {
    // No start path may change a verdict (a code-cached launcher once lost import()).
    const args = [
      'verify',
      f.file,
      '--trust',
      root,
      '--revocation',
      later,
      '--json',
      '--now',
      '2026-12-01T00:00:00Z',
    ];
    const runs = [docprov(args), docprov(args), docprov(args, { env: { DOCPROV_NO_BUNDLE: '1' } })];
    for (const r of runs.slice(1)) {
      expect(r.code).toBe(runs[0]!.code);
      expect(r.stdout).toBe(runs[0]!.stdout);
    }
  });
});
