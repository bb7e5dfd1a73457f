import { spawn, spawnSync } from 'node:child_process';
import {
  mkdirSync,
  cpSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileSchema } from '../src/core/metadata/schema.js';
import { docprov, hasStackTrace, type Run } from './helpers/cli.js';
import { freshDevCrl } from './helpers/dev-crl.js';
import { judge } from './helpers/judges.js';
import { ROOT } from './helpers/paths.js';
// @ts-expect-error: a plain .mjs script, also run by hand (npm run synthetic)
import { syntheticLetter, writeCorpus } from '../pipeline/synthetic.mjs';

// Issue 21, part 1: many documents in one command, on a pool of worker threads; incremental;
// verify and check over a tree. A dozen synthetic letters (the 1,000 live in npm run bench).

const N = 12;
const tmp = () => mkdtempSync(join(tmpdir(), 'docprov-archive-'));
const schema = (name: string) =>
  compileSchema(JSON.parse(readFileSync(`${ROOT}schemas/${name}.schema.json`, 'utf8')));
let keys: string;
let env: NodeJS.ProcessEnv;
let sources: string;
let out: string;
let first: Run;

const build = (args: string[], extra: NodeJS.ProcessEnv = {}) =>
  docprov(['build', ...args], { env: { ...env, ...extra } });
const mtimes = (dir: string) =>
  Object.fromEntries(docs(dir).map((n) => [n, statSync(join(dir, n, 'manifest.json')).mtimeMs]));
const POISON = 'poisoned';
/** The document folders of a built tree: not its hidden records, not its transparency log. */
const docs = (dir: string) =>
  readdirSync(dir)
    .filter((n) => !n.startsWith('.') && n !== 'log')
    .sort();

beforeAll(() => {
  const dir = tmp();
  keys = join(dir, 'dev-keys');
  env = { DOCPROV_DEV_KEYS_DIR: keys, SOURCE_DATE_EPOCH: '1795000000' };
  sources = join(dir, 'sources');
  writeCorpus(N, sources, 7);
  // A poisoned document: its metadata names a date the letter does not have.
  cpSync(join(sources, 'synthetic-00001'), join(sources, POISON), { recursive: true });
  const meta = join(sources, POISON, 'metadata.json');
  writeFileSync(
    meta,
    readFileSync(meta, 'utf8').replace(/"date": "[^"]+"/, '"date": "1999-01-01"'),
  );
  out = join(dir, 'out');
  first = build([sources, '-o', out, '--json']);
}, 180_000);

describe('the synthetic corpus (npm run synthetic)', () => {
  it('is seeded: the same seed gives the same bytes, and letter i does not depend on N', () => {
    const again = tmp();
    writeCorpus(3, again, 7);
    for (const id of ['synthetic-00001', 'synthetic-00003'])
      for (const f of ['source.txt', 'metadata.json'])
        expect(readFileSync(join(again, id, f))).toEqual(readFileSync(join(sources, id, f)));
    expect(syntheticLetter(8, 0).source).not.toBe(syntheticLetter(7, 0).source);
  });

  it('writes valid metadata marked as test data, with diacritics, right-to-left names and one paragraph to four pages', () => {
    const validate = schema('letter-metadata');
    const letters = Array.from({ length: 60 }, (_, i) => syntheticLetter(7, i));
    for (const l of letters) {
      const meta = JSON.parse(l.metadata);
      expect(validate(meta), JSON.stringify(validate.errors)).toBe(true);
      expect(meta.testData).toEqual({
        generator: 'docprov synthetic/2',
        seed: 7,
        index: meta.testData.index,
      });
    }
    const all = letters.map((l) => l.source).join('\n');
    expect(all).toMatch(/[\u0600-\u06ff]/u);
    expect(all).toMatch(/[À-ž]/u);
    const paragraphs = letters.map((l) => l.source.split('\n\n').length - 5);
    expect(Math.min(...paragraphs)).toBe(1);
    expect(Math.max(...paragraphs)).toBeGreaterThan(6);
    const r = spawnSync(
      process.execPath,
      [`${ROOT}pipeline/synthetic.mjs`, '2', join(tmp(), 'c')],
      {
        encoding: 'utf8',
      },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('2 test letters (seed 1)');
    // Into a file, over another corpus, or with a stray word: a plain error, nothing written.
    const file = join(tmp(), 'f.txt');
    writeFileSync(file, 'x');
    for (const [args, says] of [
      [['2', file], 'is not a folder'],
      [['2', join(r.stdout.split(' in ')[1]!.trim())], 'is not empty'],
      [['2', join(tmp(), 'd'), '--sed', '3'], 'not --sed 3'],
    ] as const) {
      const bad = spawnSync(process.execPath, [`${ROOT}pipeline/synthetic.mjs`, ...args], {
        encoding: 'utf8',
      });
      expect(bad.status).toBe(2);
      expect(bad.stderr).toContain(says);
      expect(bad.stderr).toMatch(/^docprov: error: .*\ndocprov: hint: /);
      expect(hasStackTrace(bad.stderr)).toBe(false);
    }
  });
});

describe('docprov build SOURCES -o OUT', () => {
  it('builds every document on the pool; the poisoned one fails alone, with the error one build gives', () => {
    expect(first.code, first.stderr).toBe(1);
    const run = JSON.parse(first.stdout);
    expect(run.summary).toMatchObject({ documents: N + 1, built: N, failed: 1, unchanged: 0 });
    expect(run.summary.threads).toBeGreaterThanOrEqual(1);
    const poisoned = run.documents.find((d: { name: string }) => d.name === POISON);
    expect(poisoned).toMatchObject({ status: 'failed', exit: 1, code: 'metadata-invalid' });
    const alone = build([join(sources, POISON), '-o', join(tmp(), 'x')]);
    expect(alone.code).toBe(1);
    expect(first.stderr).toContain(
      alone.stderr
        .split('\n')
        .filter((l) => l.startsWith('docprov: error:'))
        .join('\n'),
    );
    expect(hasStackTrace(first.stderr)).toBe(false);
    expect(docs(out)).toEqual(
      readdirSync(sources)
        .filter((n) => n !== POISON)
        .sort(),
    );
    expect(readdirSync(out)).not.toContain(POISON);
  });

  it('each folder is whole and signed: sha256sum -c and openssl cms -verify against the development CA', () => {
    for (const name of docs(out)) {
      const dir = join(out, name);
      const sums = spawnSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: dir, encoding: 'utf8' });
      expect(sums.status, sums.stdout + sums.stderr).toBe(0);
      expect(sums.stdout.trim().split('\n')).toHaveLength(6);
      const cms = judge('openssl', [
        'cms',
        '-verify',
        '-binary',
        '-inform',
        'DER',
        '-in',
        join(dir, 'manifest.json.p7s'),
        '-content',
        join(dir, 'manifest.json'),
        '-CAfile',
        join(keys, 'ca.pem'),
        '-purpose',
        'any',
        '-out',
        '/dev/null',
      ]);
      expect(cms.stderr, name).toContain('CMS Verification successful');
    }
  });

  it('a second run rebuilds nothing and touches no folder; a changed source rebuilds that one; --force all', () => {
    const before = mtimes(out);
    const again = build([sources, '-o', out, '--json']);
    const run = JSON.parse(again.stdout);
    expect(run.summary).toMatchObject({ built: 0, unchanged: N, failed: 1 });
    expect(mtimes(out)).toEqual(before);
    const one = join(sources, 'synthetic-00002', 'source.txt');
    writeFileSync(one, readFileSync(one, 'utf8').replace('\n\n', '\n\nP.S. ').replace('P.S. ', ''));
    writeFileSync(one, readFileSync(one, 'utf8').replace(/\.\n/, '. Again.\n'));
    const changed = JSON.parse(build([sources, '-o', out, '--json']).stdout);
    expect(
      changed.documents
        .filter((d: { status: string }) => d.status === 'built')
        .map((d: { name: string }) => d.name),
    ).toEqual(['synthetic-00002']);
    // Another release time is another input.
    const later = JSON.parse(
      build([sources, '-o', out, '--json'], { SOURCE_DATE_EPOCH: '1795000060' }).stdout,
    );
    expect(later.summary.built).toBe(N);
    const forced = JSON.parse(build([sources, '-o', out, '--json', '--force']).stdout);
    expect(forced.summary.built).toBe(N);
  });

  it('a folder changed since it was built is not taken for current', () => {
    const m = join(out, 'synthetic-00003', 'manifest.json');
    writeFileSync(m, readFileSync(m, 'utf8') + ' ');
    const run = JSON.parse(build([sources, '-o', out, '--json']).stdout);
    expect(
      run.documents
        .filter((d: { status: string }) => d.status === 'built')
        .map((d: { name: string }) => d.name),
    ).toEqual(['synthetic-00003']);
  });

  it('plain lines off a terminal, one a document, and a summary', () => {
    const r = build([sources, '-o', out, '--force', '--jobs', '2']);
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines.filter((l) => /^built +synthetic-\d{5} +\d+ ms$/.test(l))).toHaveLength(N);
    expect(lines).toContain(`FAILED     ${POISON}`);
    expect(lines.at(-1)).toMatch(
      new RegExp(
        `^build: ${N + 1} document\\(s\\) in [\\d.]+ s: ${N} built, 0 unchanged, 1 failed \\(2 threads\\)$`,
      ),
    );
  });

  it('a progress bar on a terminal (script gives one), and no escape sequence', () => {
    const r = spawnSync(
      'script',
      [
        '-qec',
        `"${process.execPath}" "${ROOT}bin/docprov.cjs" build "${sources}" -o "${out}" --force`,
        '/dev/null',
      ],
      {
        encoding: 'utf8',
        env: { ...process.env, ...env, NO_COLOR: '1', CI: '' },
        timeout: 120_000,
      },
    );
    expect(r.stdout).toMatch(
      /\r\[#{30}\] 13\/13 {2}(built 12, failed 1|failed 1, built 12) {2}[\d.]+ s/,
    );
    expect(r.stdout).not.toMatch(/^built +synthetic/m);
    expect(r.stdout).not.toContain('\x1b[');
  });

  it('--release refuses test data, naming the field, before anything is signed', () => {
    const r = build([join(sources, 'synthetic-00004'), '-o', join(tmp(), 'rel'), '--release'], {
      DOCPROV_SIGNING_KEY: join(keys, 'signer.key'),
      DOCPROV_SIGNING_CERT: join(keys, 'chain.pem'),
      DOCPROV_TSA_URL: 'http://127.0.0.1:9/',
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'synthetic-00004/metadata.json: the letter is synthetic test data ("testData" in its metadata), and test data is never published',
    );
  });
});

describe('the development key, made once by many at once', () => {
  it('four builds started together in an empty key folder all sign with one CA', async () => {
    const dir = tmp();
    // The keys beside the tree, not in it: verify TREE names whatever is not a document.
    const keysParent = tmp();
    const fresh = join(keysParent, 'keys');
    const runs = await Promise.all(
      [1, 2, 3, 4].map(
        (i) =>
          new Promise<number>((done) => {
            const p = spawn(
              process.execPath,
              [
                `${ROOT}bin/docprov.cjs`,
                'build',
                join(sources, `synthetic-0000${i}`),
                '-o',
                join(dir, `o${i}`),
              ],
              {
                env: { ...process.env, DOCPROV_DEV_KEYS_DIR: fresh },
                stdio: 'ignore',
              },
            );
            p.on('close', (c) => done(c ?? -1));
          }),
      ),
    );
    expect(runs).toEqual([0, 0, 0, 0]);
    const tree = docprov(['verify', dir, ...freshDevCrl(fresh).args]);
    expect(tree.code, tree.stdout).toBe(0);
    expect(tree.stdout).toContain('4 authentic');
    expect(readdirSync(keysParent).filter((n) => n.startsWith('keys'))).toEqual(['keys']);
  });
});

describe('verify and check over a tree of document folders', () => {
  it('verify TREE: a table, one report a document with --json, and a changed one named', async () => {
    const tree = join(tmp(), 'tree');
    cpSync(out, tree, { recursive: true });
    const pdf = join(tree, 'synthetic-00005', 'synthetic-00005.pdf');
    const bytes = readFileSync(pdf);
    bytes[400] = bytes[400]! ^ 1;
    writeFileSync(pdf, bytes);
    const dev = freshDevCrl(keys);
    const r = docprov(['verify', tree, ...dev.args]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^document +verdict +signer +failed checks$/m);
    expect(r.stdout).toMatch(/synthetic-00005 +invalid +.*message-digest/);
    expect(r.stdout).toContain(`verify: ${N} document(s) in`);
    expect(r.stdout).toContain(
      `${N - 1} authentic, 0 not yet proven, 0 intact-untrusted, 1 invalid, 0 could not be checked`,
    );
    const json = docprov(['verify', tree, ...dev.args, '--json']);
    const reports = JSON.parse(json.stdout);
    expect(reports).toHaveLength(N);
    const validate = schema('verification-report');
    for (const report of reports)
      expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(reports.filter((x: { verdict: string }) => x.verdict === 'authentic')).toHaveLength(
      N - 1,
    );
    // Without the development CA: intact but not trusted, every one.
    const untrusted = docprov(['verify', tree]);
    expect(untrusted.stdout).toContain(
      `0 authentic, 0 not yet proven, ${N - 1} intact-untrusted, 1 invalid`,
    );
    rmSync(tree, { recursive: true });
  });

  it('verify TREE names everything else the tree holds: a folder without a manifest, a nested one, a loose PDF', () => {
    const tree = join(tmp(), 'tree');
    mkdirSync(tree);
    cpSync(join(out, 'synthetic-00001'), join(tree, 'good'), { recursive: true });
    cpSync(join(out, 'synthetic-00002'), join(tree, 'bad'), { recursive: true });
    rmSync(join(tree, 'bad', 'manifest.json'));
    cpSync(join(out, 'synthetic-00003'), join(tree, 'nested', 'deep'), { recursive: true });
    const loose = readFileSync(join(out, 'synthetic-00004', 'synthetic-00004.pdf'));
    loose[400] = loose[400]! ^ 1;
    writeFileSync(join(tree, 'loose.pdf'), loose);
    // docprov's own bookkeeping and the log are not documents, and are passed over.
    writeFileSync(join(tree, '.good.inputs'), 'x');
    const r = docprov(['verify', tree, ...freshDevCrl(keys).args]);
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stdout).toMatch(/\/bad +cannot check/);
    expect(r.stdout).toMatch(/\/nested +cannot check/);
    expect(r.stdout).toMatch(/\/loose\.pdf +invalid/);
    expect(r.stdout).toMatch(/\/good +authentic/);
    expect(r.stdout).not.toContain('.good.inputs');
    expect(r.stdout).toContain('4 document(s)');
    rmSync(tree, { recursive: true });
  });

  it('check ARTIFACTS does not pass over a folder that holds a file named checkpoint, a hidden folder, or a FIFO in a document folder', () => {
    const tree = join(tmp(), 'artifacts');
    cpSync(`${ROOT}artifacts`, tree, { recursive: true });
    mkdirSync(join(tree, 'evil'));
    writeFileSync(join(tree, 'evil', 'checkpoint'), '');
    mkdirSync(join(tree, '.sneaky'));
    writeFileSync(join(tree, 'letter-unsigned.pdf'), '%PDF-1.7\n');
    writeFileSync(join(tree, '.hidden.pdf'), '%PDF-1.7\n');
    writeFileSync(join(tree, '.khalaf-2017-03-17.inputs'), '{}');
    spawnSync('mkfifo', [join(tree, 'khalaf-2017-03-17', 'fifo')]);
    const r = docprov([
      'check',
      tree,
      '--sources',
      `${ROOT}pipeline/sources`,
      '--allow-pending-revocation',
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^✗ evil: cannot check: .* has no manifest\.json/m);
    expect(r.stdout).toMatch(/^✗ \.sneaky: a hidden folder that docprov did not make/m);
    expect(r.stdout).toMatch(/^✗ letter-unsigned\.pdf: a file that docprov did not publish/m);
    expect(r.stdout).toMatch(/^✗ \.hidden\.pdf: a file that docprov did not publish/m);
    expect(r.stdout).not.toContain('.khalaf-2017-03-17.inputs');
    expect(r.stdout).toMatch(/^✗ khalaf-2017-03-17: .*"fifo" \(a FIFO \(named pipe\)\)/m);
  });

  it('check ARTIFACTS on the pool says what it says in one thread, line for line; --json one result a document', () => {
    const tree = join(tmp(), 'artifacts');
    cpSync(`${ROOT}artifacts`, tree, { recursive: true });
    // A second document folder: the same letter under another name (not what its sources make).
    cpSync(join(tree, 'khalaf-2017-03-17'), join(tree, 'khalaf-copy'), { recursive: true });
    const args = [
      'check',
      tree,
      '--sources',
      `${ROOT}pipeline/sources`,
      '--allow-pending-revocation',
    ];
    const pooled = docprov([...args, '--jobs', '2']);
    const alone = docprov([...args, '--jobs', '1']);
    const lines = (r: Run) => r.stdout.split('\n').filter((l) => /^[✓✗] /.test(l));
    expect(lines(pooled)).toEqual(lines(alone));
    expect(lines(pooled).map((l) => l.split(':')[0])).toEqual(
      expect.arrayContaining(['✗ khalaf-copy', expect.stringMatching(/^[✓✗] khalaf-2017-03-17$/)]),
    );
    expect(pooled.code).toBe(alone.code);
    expect(pooled.stdout).toMatch(/^document +verdict +current +ms$/m);
    expect(pooled.stdout).toContain('(2 documents on 2 threads in');
    const json = JSON.parse(docprov([...args, '--json']).stdout);
    expect(json.format).toBe('docprov-check/1');
    expect(json.results.map((d: { id: string }) => d.id)).toEqual(
      expect.arrayContaining(['khalaf-2017-03-17', 'khalaf-copy', 'verify.html']),
    );
  });
});
