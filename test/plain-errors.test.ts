import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { docprov, hasStackTrace, unprivilegedProblem, type Run } from './helpers/cli.js';
import { judge } from './helpers/judges.js';
import { LETTER_DIR, ROOT } from './helpers/paths.js';
import { pkiDir, signerEnv } from './helpers/pki.js';

// Issue 11, item 3: ordinary problems are said plainly (error, path, hint; exit 2), never as
// "internal error", and leave nothing behind.

/**
 * A test that runs docprov as another user: run where it can, else reported by name as not run
 * and why (the clone is not readable by other users).
 */
const asOtherUser = (title: string, fn: () => void) => {
  const why = unprivilegedProblem();
  return why ? it.skip(`not run: "${title}": ${why}`, fn) : it(title, fn);
};

/** A temporary folder an unprivileged user can enter too. */
const tmp = () => {
  const dir = mkdtempSync(join(tmpdir(), 'docprov-errors-'));
  chmodSync(dir, 0o755);
  return dir;
};
/** The signer's key as PEM text: an unprivileged run cannot read the test PKI's key files. */
const pemSigner = () => ({
  DOCPROV_SIGNING_KEY: readFileSync(join(pkiDir(), 'signer.key'), 'utf8'),
  DOCPROV_SIGNING_CERT: readFileSync(join(pkiDir(), 'signer-chain.pem'), 'utf8'),
  DOCPROV_LOG_KEY: readFileSync(join(pkiDir(), 'log.key'), 'utf8'),
});
const plainError = (r: Run, message: string, code = 2) => {
  expect(r.code, r.stderr).toBe(code);
  expect(r.stderr).toContain(`docprov: error: ${message}`);
  expect(r.stderr).toMatch(/\ndocprov: hint: \S/);
  expect(r.stderr).not.toContain('internal error');
  expect(hasStackTrace(r.stderr)).toBe(false);
};

/** A PDF whose catalog dictionary is never closed: the header and xref are fine, the object not. */
function damagedPdf(): string {
  const body = '%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R\nendobj\n';
  return `${body}xref\n0 2\n0000000000 65535 f \n0000000009 00000 n \ntrailer\n<< /Size 2 /Root 1 0 R >>\nstartxref\n${body.length}\n%%EOF\n`;
}

let dir: string;
let unsigned: string;
let readOnly: string;

beforeAll(async () => {
  dir = tmp();
  const doc = await PDFDocument.create();
  doc.addPage();
  unsigned = join(dir, 'unsigned.pdf');
  writeFileSync(unsigned, await doc.save({ useObjectStreams: false }));
  readOnly = join(dir, 'read-only');
  mkdirSync(readOnly);
  chmodSync(readOnly, 0o555);
});

describe('output that cannot be written', () => {
  asOtherUser(
    'build -o into a read-only folder: the path and "permission denied", nothing left',
    () => {
      const out = join(readOnly, 'out');
      const r = docprov(['build', LETTER_DIR, '-o', out], { env: pemSigner(), unprivileged: true });
      plainError(r, `cannot write ${out}: permission denied`);
      expect(readdirSync(readOnly)).toEqual([]);
    },
  );
  it.each([
    ...(unprivilegedProblem() ? [] : [['another user', true] as [string, boolean]]),
    ['root, whom the mode still tells', false] as [string, boolean],
  ])(
    'build -o a read-only output folder, as %s: refused, the folder left as it was',
    (_who, unprivileged) => {
      const parent = tmp();
      chmodSync(parent, 0o777);
      const out = join(parent, 'out');
      mkdirSync(out);
      chmodSync(out, 0o555);
      const r = docprov(['build', LETTER_DIR, '-o', out], { env: pemSigner(), unprivileged });
      plainError(r, `will not replace ${out}: it is read-only (no write permission)`);
      expect(readdirSync(parent)).toEqual(['out']);
      expect(statSync(out).mode & 0o777).toBe(0o555);
    },
  );
  asOtherUser('sign -o into a read-only folder: the path, nothing left', () => {
    const out = join(readOnly, 'signed.pdf');
    const r = docprov(['sign', unsigned, '-o', out], { env: pemSigner(), unprivileged: true });
    plainError(r, `cannot write ${out}: permission denied`);
    expect(readdirSync(readOnly)).toEqual([]);
  });
  it('sign -o into a missing folder: said before any work, nothing created', () => {
    const out = join(dir, 'missing', 'signed.pdf');
    const r = docprov(['sign', unsigned, '-o', out], { env: signerEnv('signer') });
    plainError(r, `cannot write ${out}: the folder ${join(dir, 'missing')} does not exist`);
    expect(existsSync(join(dir, 'missing'))).toBe(false);
  });
  it('sign -o FOLDER: says it is a folder, and leaves no temporary file beside it', () => {
    const folder = join(tmp(), 'out');
    mkdirSync(folder);
    const r = docprov(['sign', unsigned, '-o', folder], { env: signerEnv('signer') });
    plainError(r, `cannot write ${folder}: it is a folder`);
    expect(readdirSync(join(folder, '..'))).toEqual(['out']);
    expect(readdirSync(folder)).toEqual([]);
  });
  asOtherUser(
    'an unwritable development key folder names the folder and the variable to set',
    () => {
      const keys = join(readOnly, 'keys');
      const env = { DOCPROV_DEV_KEYS_DIR: keys, DOCPROV_SIGNING_KEY: '', DOCPROV_SIGNING_CERT: '' };
      const init = docprov(['keys', 'init'], { env, unprivileged: true });
      plainError(init, `cannot create the development keys in ${keys}: permission denied`);
      expect(init.stderr).toContain('DOCPROV_DEV_KEYS_DIR');
      const out = join(tmp(), 'out');
      const build = docprov(['build', LETTER_DIR, '-o', out], { env, unprivileged: true });
      plainError(build, `cannot create the development keys in ${keys}`);
      expect(existsSync(out)).toBe(false);
    },
  );
});

describe('input that cannot be read', () => {
  asOtherUser(
    'check on a folder it may not list: the path and the reason, not an internal error',
    () => {
      const hidden = join(tmp(), 'artifacts');
      mkdirSync(hidden);
      chmodSync(hidden, 0o000);
      const r = docprov(['check', hidden], { unprivileged: true });
      plainError(r, `cannot list ${hidden}: permission denied`);
    },
  );
  it.each([
    [['check', ROOT], `${ROOT.replace(/\/$/, '')} holds no document folders`],
    [['check', join(ROOT, 'artifacts', 'log')], 'holds no document folders'],
    [
      ['build', join(ROOT, 'pipeline'), '-o', join(ROOT, 'no-such-out')],
      'is neither a source folder',
    ],
    [
      ['verify', join(ROOT, 'artifacts', 'khalaf-2017-03-17', 'khalaf-2017-03-17.metadata.json')],
      "is a document's metadata (JSON), not a PDF",
    ],
  ])('%j: a usage mistake said as one (exit 2)', (args, says) => {
    const r = docprov(args);
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stderr).toContain(says);
    expect(r.stderr).toMatch(/docprov: hint: /);
    expect(hasStackTrace(r.stderr)).toBe(false);
  });
  it('provenance given the statement file itself reads its folder', () => {
    const r = docprov([
      'provenance',
      join(ROOT, 'artifacts', 'khalaf-2017-03-17', 'provenance.intoto.json'),
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('SLSA provenance');
  });
  it('--revocation with a file that is neither a CRL nor an OCSP response is said, not weighed as nothing', () => {
    const manifest = join(ROOT, 'artifacts', 'khalaf-2017-03-17', 'manifest.json');
    const r = docprov([
      'verify',
      join(ROOT, 'artifacts', 'khalaf-2017-03-17'),
      '--revocation',
      manifest,
    ]);
    plainError(r, `${manifest} is neither a CRL nor an OCSP response (PEM or DER)`);
  });
  it('normalise on a folder says it is one', () => {
    plainError(docprov(['normalise', dir]), `cannot read ${dir}: it is a folder`);
  });
});

describe('sign on a file that is not a signable PDF says so in plain words', () => {
  it.each([
    ['a text file', 'notes.txt', 'hello\n', 'this is not a PDF: it does not begin with "%PDF-"'],
    ['a truncated PDF', 'cut.pdf', '%PDF-1.7\n1 0 obj\n<<', 'the file does not end like a PDF'],
    [
      'a damaged PDF',
      'damaged.pdf',
      damagedPdf(),
      'the PDF is damaged: its objects cannot be read',
    ],
  ])('%s', (_what, name, content, message) => {
    const file = join(dir, name);
    writeFileSync(file, content);
    const r = docprov(['sign', file, '-o', join(dir, `${name}.signed.pdf`)], {
      env: signerEnv('signer'),
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`docprov: error: ${file}: ${message}`);
    expect(r.stderr).not.toMatch(/Failed to parse|PDFDocument|pdf-lib/);
    expect(hasStackTrace(r.stderr)).toBe(false);
    expect(existsSync(join(dir, `${name}.signed.pdf`))).toBe(false);
  });
  it('an encrypted PDF', () => {
    const encrypted = join(dir, 'encrypted.pdf');
    const q = judge('qpdf', ['--encrypt', '', 'owner', '256', '--', unsigned, encrypted]);
    expect(q.code, q.stderr).toBe(0);
    const r = docprov(['sign', encrypted, '-o', join(dir, 'e.signed.pdf')], {
      env: signerEnv('signer'),
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `docprov: error: ${encrypted}: the PDF is encrypted; docprov signs unencrypted PDFs only`,
    );
    expect(r.stderr).toContain('docprov: hint: decrypt it first');
  });
});

describe('development keys and the DEVELOPMENT-SIGNED warning', () => {
  const devEnv = (keys: string) => ({
    DOCPROV_DEV_KEYS_DIR: keys,
    DOCPROV_SIGNING_KEY: '',
    DOCPROV_SIGNING_CERT: '',
  });
  it('keys show never creates keys: it says there are none yet', () => {
    const keys = join(tmp(), 'keys');
    const r = docprov(['keys', 'show'], { env: devEnv(keys) });
    plainError(r, `no signing key is configured, and there are no development keys in ${keys} yet`);
    expect(r.stderr).toContain('docprov keys init');
    expect(existsSync(keys)).toBe(false);
  });
  it('appears only once something was signed', () => {
    const keys = join(tmp(), 'keys');
    const notPdf = join(dir, 'plain.txt');
    writeFileSync(notPdf, 'not a pdf');
    const failed = docprov(['sign', notPdf, '-o', join(dir, 'x.pdf')], { env: devEnv(keys) });
    expect(failed.code).toBe(1);
    expect(failed.stderr).not.toContain('DEVELOPMENT-SIGNED');
    const src = join(tmp(), 'src');
    mkdirSync(src);
    writeFileSync(join(src, 'source.txt'), readFileSync(join(LETTER_DIR, 'source.txt')));
    writeFileSync(join(src, 'metadata.json'), '{');
    const badBuild = docprov(['build', src, '-o', join(tmp(), 'out')], { env: devEnv(keys) });
    expect(badBuild.code).toBe(1);
    expect(badBuild.stderr).not.toContain('DEVELOPMENT-SIGNED');
    const signed = docprov(['sign', unsigned, '-o', join(dir, 'dev.pdf')], { env: devEnv(keys) });
    expect(signed.code, signed.stderr).toBe(0);
    expect(signed.stderr).toContain('docprov: warning: DEVELOPMENT-SIGNED');
  });
});

describe('a reader that stops early', () => {
  it('closing the pipe is no error: no stack trace, the command keeps its exit code', () => {
    const big = join(dir, 'big.txt');
    writeFileSync(big, 'a line of text\n'.repeat(400_000));
    const r = spawnSync(
      'sh',
      [
        '-c',
        `"${process.execPath}" "${ROOT}bin/docprov.cjs" normalise "${big}" 2>"${dir}/err" | head -c 5; echo " $?"`,
      ],
      { encoding: 'utf8' },
    );
    expect(r.stdout).toBe('a lin 0\n');
    expect(readFileSync(join(dir, 'err'), 'utf8')).toBe('');
  });
});

describe('errors name their file, and print each location once', () => {
  it('validate M --text T: a letter error names T and its line in T', () => {
    const text = join(tmp(), 'letter.txt');
    writeFileSync(text, '\n\nBeirut, 17 March 2017\n\nnot a salutation\n');
    const r = docprov(['validate', join(LETTER_DIR, 'metadata.json'), '--text', text]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`docprov: error: ${text}:5:1: missing salutation`);
  });
  it('a cross-check error names the metadata line and the line of the text it disagrees with', () => {
    const meta = join(tmp(), 'm.json');
    const source = join(LETTER_DIR, 'source.txt');
    writeFileSync(
      meta,
      readFileSync(join(LETTER_DIR, 'metadata.json'), 'utf8').replace('"Beirut"', '"Amman"'),
    );
    const r = docprov(['validate', meta, '--text', source]);
    expect(r.code).toBe(1);
    // The dateline is line 5 of source.txt (four blank lines come first).
    expect(r.stderr).toMatch(
      new RegExp(
        `docprov: error: ${meta}:\\d+:\\d+: /place: .*"Amman" disagrees with the letter's "Beirut" \\(${source}:5\\)`,
      ),
    );
  });
  it('one problem: one error line, its location once', () => {
    const r = docprov(['normalise', '-'], { input: 'fine\nab\u202ec\n' });
    expect(r.code).toBe(1);
    expect(r.stderr.match(/docprov: error:/g)).toHaveLength(1);
    expect(r.stderr.match(/2:3/g)).toHaveLength(1);
    expect(r.stderr).toContain(
      'docprov: error: <stdin>:2:3: bidirectional control character U+202E',
    );
  });
  it('several problems: a summary naming the file, then each location once', () => {
    const file = join(tmp(), 't.txt');
    writeFileSync(file, 'a\u202eb\nc\u2067d\n');
    const r = docprov(['normalise', file]);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('docprov: error:'))).toEqual([
      `docprov: error: ${file} contains 2 forbidden characters`,
      `docprov: error: ${file}:1:2: bidirectional control character U+202E (bidirectional embedding or override)`,
      `docprov: error: ${file}:2:2: bidirectional control character U+2067 (bidirectional isolate)`,
    ]);
  });
  it('normalise --report lists a removed soft hyphen and a converted line separator', () => {
    const r = docprov(['normalise', '-', '--report'], { input: 'co\u00adoperate\u2028next\n' });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('cooperate\nnext\n');
    expect(r.stderr).toContain(
      'docprov: change: soft-hyphen-removed x1, first at line 1, column 3',
    );
    expect(r.stderr).toContain(
      'docprov: change: line-separator-to-lf x1, first at line 1, column 11',
    );
  });
  it('docprov help verify prints what docprov verify --help prints', () => {
    const help = docprov(['help', 'verify']);
    expect(help.code).toBe(0);
    expect(help.stdout).toBe(docprov(['verify', '--help']).stdout);
    expect(help.stdout).toMatch(/^Usage: docprov verify/);
    plainError(docprov(['help', 'frobnicate']), 'unknown command "frobnicate"');
  });
});
