import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { docprov, type Run } from './helpers/cli.js';
import { LETTER_DIR, ROOT } from './helpers/paths.js';
import { signerEnv, testRootTrust } from './helpers/pki.js';

// Issue 11, item 5: nothing from an input reaches the terminal raw. The test PKI's "hostile"
// signer is named "docprov test ESC[2J ESC]0;owned BEL hostile U+202E".

const tmp = () => mkdtempSync(join(tmpdir(), 'docprov-terminal-'));
const ID = 'khalaf-2017-03-17';
// Controls (C0 but the TAB and LF of the layout, DEL, C1), bidi controls and marks.
const RAW = /[\p{Cc}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
const clean = (r: Run) => {
  for (const text of [r.stdout, r.stderr])
    expect(RAW.exec(text.replace(/[\t\n]/g, ''))?.[0], text).toBeUndefined();
};
const ESCAPED_CN = 'CN=docprov test \\x1b[2J\\x1b]0;owned\\x07hostile\\u202e';

let dir: string;
let unsigned: string;

beforeAll(async () => {
  dir = tmp();
  const doc = await PDFDocument.create();
  doc.addPage();
  unsigned = join(dir, 'unsigned.pdf');
  writeFileSync(unsigned, await doc.save({ useObjectStreams: false }));
});

describe('a certificate name holding escape sequences', () => {
  it('sign, keys show and verify print it escaped', () => {
    const out = join(dir, 'hostile.pdf');
    const sign = docprov(['sign', unsigned, '-o', out], { env: signerEnv('hostile') });
    expect(sign.code, sign.stderr).toBe(0);
    expect(sign.stdout).toContain(ESCAPED_CN);
    clean(sign);

    const show = docprov(['keys', 'show'], { env: signerEnv('hostile') });
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toContain(ESCAPED_CN);
    clean(show);
    const json = docprov(['keys', 'show', '--json'], { env: signerEnv('hostile') });
    expect(JSON.parse(json.stdout).subject).toBe(
      'O=docprov tests, CN=docprov test \x1b[2J\x1b]0;owned\x07hostile\u202e',
    );
    clean(json);

    const verify = docprov(['verify', out, ...testRootTrust()]);
    expect(verify.code, verify.stdout).toBe(0);
    expect(verify.stdout).toContain(`signer     O=docprov tests, ${ESCAPED_CN}`);
    clean(verify);
  });
});

describe('file names and contents holding escape sequences', () => {
  it('normalise names a file with escape codes in its name, escaped', () => {
    const evil = join(dir, 'ev\x1b[2Jil\x1b]0;x\x07.txt');
    writeFileSync(evil, 'fine\nbad\u202eword\n');
    const r = docprov(['normalise', evil]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('ev\\x1b[2Jil\\x1b]0;x\\x07.txt:2:4: bidirectional control');
    clean(r);
    const missing = docprov(['normalise', join(dir, 'no\x1b[31mne')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no\\x1b[31mne');
    clean(missing);
  });
  it('a text copy with escape sequences in a word is shown escaped by verify', () => {
    const copy = join(dir, 'copy.txt');
    const canonical = readFileSync(join(ROOT, 'artifacts', ID, `${ID}.txt`), 'utf8');
    writeFileSync(copy, canonical.replace('carefully', 'care\x1b[2Jfully\x1b]0;x\x07'));
    const r = docprov([
      'verify',
      '--text',
      copy,
      '--manifest',
      join(ROOT, 'artifacts', ID, 'manifest.json'),
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('the copy has "care\\x1b[2Jfully\\x1b]0;x\\x07"');
    clean(r);
  });
  it('a JSON parse error shows the offending character escaped', () => {
    const meta = join(dir, 'esc.json');
    writeFileSync(meta, '{"id": \x1b[2J}');
    const r = docprov(['validate', meta, '--text', join(LETTER_DIR, 'source.txt')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('esc.json:1:8: malformed JSON: expected a value, found "\\x1b"');
    clean(r);
  });
  it('check prints a folder name with escape codes escaped', () => {
    const artifacts = join(dir, 'artifacts');
    mkdirSync(join(artifacts, 'x\x1b[2Jy'), { recursive: true });
    cpSync(join(ROOT, 'artifacts', ID), join(artifacts, ID), { recursive: true });
    const r = docprov(['check', artifacts, '--sources', join(ROOT, 'pipeline', 'sources')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('✗ x\\x1b[2Jy: cannot check:');
    clean(r);
  });
});
