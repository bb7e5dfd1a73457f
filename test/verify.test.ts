import { execFileSync } from 'node:child_process';
import {
  cpSync,
  symlinkSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileSchema } from '../src/core/metadata/schema.js';
import { docprov, hasStackTrace } from './helpers/cli.js';
import { judge } from './helpers/judges.js';
import { pdfjsText } from './helpers/pdfjs-text.js';
import { LETTER_DIR, ROOT } from './helpers/paths.js';
import { nssDbTrusting, pkiDir, signerEnv, testRootTrust } from './helpers/pki.js';

const ID = 'khalaf-2017-03-17';
const NOW = '2026-12-01T00:00:00Z';
const tmp = () => mkdtempSync(join(tmpdir(), 'docprov-verify-'));
let out: string;
let pdf: string;
const trust = () => [...testRootTrust(), '--now', NOW];

beforeAll(() => {
  out = join(tmp(), 'artifacts');
  const r = docprov(['build', LETTER_DIR, '-o', out], {
    env: { ...signerEnv('signer'), SOURCE_DATE_EPOCH: '1795000000' },
  });
  if (r.code !== 0) throw new Error(r.stderr);
  pdf = join(out, `${ID}.pdf`);
});

describe('docprov verify: a PDF, a folder', () => {
  it('the PDF is authentic with its root trusted: exit 0, one line per check, signer and time', () => {
    const r = docprov(['verify', pdf, ...trust()]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    // One line per check of the report, in its order, each with its mark.
    const report = JSON.parse(docprov(['verify', pdf, ...trust(), '--json']).stdout);
    const mark = { pass: '✓', fail: '✗', skip: '-' } as Record<string, string>;
    const lines = r.stdout.split('\n').filter((l) => /^ {2}[✓✗-] /.test(l));
    expect(lines.map((l) => l.trim().split(/\s+/).slice(0, 2).join(' '))).toEqual(
      report.checks.map((c: { id: string; status: string }) => `${mark[c.status]} ${c.id}`),
    );
    expect(report.checks.length).toBeGreaterThan(15);
    expect(r.stdout).toContain('verdict    AUTHENTIC');
    expect(r.stdout).toContain('signer     O=docprov tests, CN=docprov test signer');
    expect(r.stdout).toContain('signed at  2026-11-18T11:06:40.000Z');
    expect(r.stdout).toContain(`document   ${ID}: Letter of resignation`);
    expect(r.stdout).not.toContain(String.fromCharCode(27)); // no colour when not on a terminal
  });
  it('without the root trusted it is intact but not trusted (exit 1), saying who signed and how to trust', () => {
    const r = docprov(['verify', pdf, '--now', NOW]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('verdict    INTACT BUT NOT TRUSTED');
    expect(r.stdout).toContain('✗ chain');
    expect(r.stdout).toMatch(/certificate SHA-256 [0-9a-f]{64}/);
    expect(r.stdout).toContain('--trust');
  });
  it('a development-signed build is not trusted without --trust', () => {
    const dir = tmp();
    const b = docprov(['build', LETTER_DIR, '-o', join(dir, 'o')], {
      env: { DOCPROV_DEV_KEYS_DIR: join(dir, 'keys') },
    });
    expect(b.code, b.stderr).toBe(0);
    const r = docprov(['verify', join(dir, 'o', `${ID}.pdf`)]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('INTACT BUT NOT TRUSTED');
    // Trusted, it is intact and signed by a trusted signer; without a timestamp, nothing can
    // show the signer was not revoked when it signed: that fact alone stays unproven.
    const ok = docprov([
      'verify',
      join(dir, 'o', `${ID}.pdf`),
      '--trust',
      join(dir, 'keys', 'ca.pem'),
      '--json',
    ]);
    expect(ok.code, ok.stdout).toBe(1);
    const report = JSON.parse(ok.stdout);
    expect(report.verdict).toBe('intact-untrusted');
    expect(
      report.facts
        .filter((f: { status: string }) => f.status !== 'pass')
        .map((f: { id: string; by: { code: string } }) => [f.id, f.by.code]),
    ).toEqual([['signer-not-revoked', 'time-not-proven']]);
  });
  it('the folder verifies as a whole: manifest, artifacts, SHA256SUMS, PDF', () => {
    const r = docprov(['verify', out, ...trust()]);
    expect(r.code, r.stdout).toBe(0);
    for (const id of [
      'manifest-signature',
      'manifest-schema',
      'manifest-lists-file',
      'artifacts',
      'sha256sums',
      'embedded-sources',
    ])
      expect(r.stdout).toContain(`✓ ${id}`);
  });
  it('a folder with a changed text artifact is not authentic, naming the file', () => {
    const dir = join(tmp(), 'copy');
    cpSync(out, dir, { recursive: true });
    writeFileSync(
      join(dir, `${ID}.txt`),
      readFileSync(join(dir, `${ID}.txt`), 'utf8').replace('two reports', 'three reports'),
    );
    const r = docprov(['verify', dir, ...trust()]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${ID}.txt differs from the manifest`);
    expect(r.stdout).toContain('NOT AUTHENTIC');
  });
  it('a file the manifest does not list makes the folder not authentic, named', () => {
    const dir = join(tmp(), 'copy');
    cpSync(out, dir, { recursive: true });
    writeFileSync(join(dir, 'correction.txt'), 'The letter was withdrawn.\n');
    writeFileSync(join(dir, '._notes.md'), 'not the companion of a listed file');
    const r = docprov(['verify', dir, ...trust()]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ unlisted-files .*"correction\.txt"/);
    expect(r.stdout).toMatch(/✗ unlisted-files .*"\._notes\.md"/);
  });
  it("a file manager's own files (.DS_Store, AppleDouble beside a listed file) are said, not held against it", () => {
    const dir = join(tmp(), 'copy');
    cpSync(out, dir, { recursive: true });
    writeFileSync(join(dir, '.DS_Store'), Buffer.from('0000000142756431', 'hex'));
    // AppleDouble: magic 00051607, version 00020000, 16 bytes of filler, no entries.
    writeFileSync(
      join(dir, `._${ID}.pdf`),
      Buffer.from(`0005160700020000${'00'.repeat(18)}`, 'hex'),
    );
    const r = docprov(['verify', dir, ...trust()]);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(
        `✓ unlisted-files .*ignored: "\\._${ID}\\.pdf", "\\.DS_Store"|✓ unlisted-files .*ignored: "\\.DS_Store", "\\._${ID}\\.pdf"`,
      ),
    );
  });
  it("a file manager's name is not enough: a whole PDF saved as .DS_Store or ._NAME is held against the folder", () => {
    const dir = join(tmp(), 'copy');
    cpSync(out, dir, { recursive: true });
    writeFileSync(join(dir, '.DS_Store'), readFileSync(pdf));
    writeFileSync(join(dir, `._${ID}.txt`), 'The letter was withdrawn.');
    const r = docprov(['verify', dir, ...trust()]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ unlisted-files .*"\.DS_Store"/);
    expect(r.stdout).toMatch(new RegExp(`✗ unlisted-files .*"\\._${ID}\\.txt"`));
    expect(r.stdout).toContain('NOT AUTHENTIC');
  });
  it('a stray entry (a dangling symlink, a symlink loop, a FIFO) is a failing check, not an abort', () => {
    const dir = join(tmp(), 'copy');
    cpSync(out, dir, { recursive: true });
    symlinkSync(join(dir, 'nowhere'), join(dir, 'dangling'));
    symlinkSync(join(dir, 'loop'), join(dir, 'loop'));
    execFileSync('mkfifo', [join(dir, 'pipe')]);
    const r = docprov(['verify', dir, ...trust()]);
    expect(r.code, r.stderr).toBe(1);
    expect(hasStackTrace(r.stdout + r.stderr)).toBe(false);
    expect(r.stdout).toMatch(/✗ unlisted-files .*"dangling" \(a symbolic link to nothing\)/);
    expect(r.stdout).toMatch(/"loop" \(a symbolic link loop\)/);
    expect(r.stdout).toMatch(/"pipe" \(a FIFO \(named pipe\)\)/);
    expect(r.stdout).toContain('NOT AUTHENTIC');
  });
  it('a FIFO where the PDF should be is a failing check, and nothing waits on it', () => {
    const dir = join(tmp(), 'copy');
    cpSync(out, dir, { recursive: true });
    rmSync(join(dir, `${ID}.pdf`));
    execFileSync('mkfifo', [join(dir, `${ID}.pdf`)]);
    const r = docprov(['verify', dir, ...trust()]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(
      new RegExp(`✗ artifacts +${ID}\\.pdf is a FIFO \\(named pipe\\), not a file`),
    );
    const direct = docprov(['verify', join(dir, `${ID}.pdf`)]);
    expect(direct.code).toBe(2);
    expect(direct.stderr).toContain('is a FIFO (named pipe), not a file');
  });
  it('a folder a killed build left as .NAME.new is named in the hint, with what finishes it', () => {
    const parent = tmp();
    cpSync(out, join(parent, `.${ID}.new`), { recursive: true });
    const r = docprov(['verify', join(parent, ID)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `docprov: hint: an interrupted build left .${ID}.new beside it: run the build again (or docprov check) to finish it, then verify`,
    );
  });
  it('a folder whose manifest was edited fails its signature', () => {
    const dir = join(tmp(), 'copy');
    cpSync(out, dir, { recursive: true });
    writeFileSync(
      join(dir, 'manifest.json'),
      readFileSync(join(dir, 'manifest.json'), 'utf8').replace('"docprov"', '"d0cprov"'),
    );
    const r = docprov(['verify', dir, ...trust()]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('✗ manifest-signature');
  });
  it('--signer pins the signer: the right fingerprint passes, another fails', () => {
    const fp = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')).signer.fingerprint;
    expect(docprov(['verify', pdf, ...trust(), '--signer', fp]).code).toBe(0);
    const r = docprov(['verify', pdf, ...trust(), '--signer', 'ab'.repeat(32)]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('✗ signer-pin');
  });
  it('--json prints the report, valid against its schema, the verdict derived from the checks', () => {
    const r = docprov(['verify', pdf, ...trust(), '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    const validate = compileSchema(
      JSON.parse(readFileSync(`${ROOT}schemas/verification-report.schema.json`, 'utf8')),
    );
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    // The rule the schema states: a failed integrity check or fact makes it invalid; every
    // required fact passing and no check failing makes it authentic; anything else is
    // intact-untrusted.
    type Rep = {
      checks: { category: string; status: string }[];
      facts: { category: string; status: string }[];
    };
    const derived = (rep: Rep) => {
      const failed = rep.checks.filter((c) => c.status === 'fail');
      if (failed.some((c) => c.category === 'integrity')) return 'invalid';
      if (rep.facts.some((f) => f.category === 'integrity' && f.status !== 'pass'))
        return 'invalid';
      return failed.length || rep.facts.some((f) => f.status !== 'pass')
        ? 'intact-untrusted'
        : 'authentic';
    };
    expect(report.verdict).toBe('authentic');
    expect(derived(report)).toBe(report.verdict);
    expect(report.checks.map((c: { id: string }) => c.id).slice(0, 4)).toEqual([
      'pdf-parse',
      'pdf-structure',
      'signatures-found',
      'byte-range',
    ]);
    const bad = JSON.parse(docprov(['verify', pdf, '--now', NOW, '--json']).stdout);
    expect(validate(bad)).toBe(true);
    expect(bad.verdict).toBe('intact-untrusted');
    expect(derived(bad)).toBe(bad.verdict);
    const changed = join(tmp(), 'changed.pdf');
    const bytes = readFileSync(pdf);
    bytes[100] = bytes[100]! ^ 1; // inside the first signed range
    writeFileSync(changed, bytes);
    const broken = JSON.parse(docprov(['verify', changed, '--now', NOW, '--json']).stdout);
    expect(validate(broken)).toBe(true);
    expect(broken.verdict).toBe('invalid');
    expect(derived(broken)).toBe(broken.verdict);
  });
  it('pdfsig agrees with docprov on the same file (an independent judge, trusting the same root)', () => {
    expect(docprov(['verify', pdf, ...trust()]).stdout).toContain('verdict    AUTHENTIC');
    const nss = nssDbTrusting(join(pkiDir(), 'root.pem'));
    const r = judge('pdfsig', ['-nssdir', `sql:${nss}`, pdf]);
    expect(r.stdout).toContain('Signature Validation: Signature is Valid.');
    expect(r.stdout).toContain('Certificate Validation: Certificate is Trusted.');
    expect(r.stdout).toContain('Total document signed');
  });
});

describe('docprov verify --text', () => {
  const copyOf = (text: string) => {
    const f = join(tmp(), 'copy.txt');
    writeFileSync(f, text);
    return f;
  };
  const extractors: [string, () => Promise<string>][] = [
    ['pdftotext -raw', async () => judge('pdftotext', ['-raw', '-enc', 'UTF-8', pdf, '-']).stdout],
    [
      'pdftotext (reading order)',
      async () => judge('pdftotext', ['-enc', 'UTF-8', pdf, '-']).stdout,
    ],
    [
      'pdftotext -layout',
      async () => judge('pdftotext', ['-layout', '-enc', 'UTF-8', pdf, '-']).stdout,
    ],
    ['mutool draw -F txt', async () => judge('mutool', ['draw', '-q', '-F', 'txt', pdf]).stdout],
    ['pdf.js (what Firefox users copy)', () => pdfjsText(pdf)],
  ];
  it.each(extractors)(
    'a copy extracted with %s verifies, its footers and hyphens counted',
    async (_name, extract) => {
      const text = await extract();
      expect(text).toContain('SHA-256'); // the footer is in the copy, and must be recognised

      const r = docprov([
        'verify',
        '--text',
        copyOf(text),
        '--manifest',
        join(out, 'manifest.json'),
        ...trust(),
      ]);
      expect(r.code, r.stdout).toBe(0);
      expect(r.stdout).toMatch(
        /✓ text-match +the copy has exactly the words of khalaf-2017-03-17 \(744 words\); ignored or folded: 2 footers, 2 page labels/,
      );
    },
  );
  it('a paragraph verifies as an excerpt, saying which words, never as the whole document', () => {
    const canonical = readFileSync(join(out, `${ID}.txt`), 'utf8');
    const para = canonical.split('\n\n').find((p) => p.startsWith('In the space of two months'))!;
    const r = docprov([
      'verify',
      '--text',
      copyOf(para),
      '--manifest',
      join(out, 'manifest.json'),
      ...trust(),
      '--json',
    ]);
    expect(r.code, r.stdout).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.text).toMatchObject({ scope: 'excerpt', ofWords: 744 });
    expect(report.text.lastWord - report.text.firstWord + 1).toBe(
      para.split(/\s+/).filter(Boolean).length,
    );
    expect(report.summary).toMatch(/this excerpt \(words \d+-\d+ of 744\)/);
  });
  it('without the canonical text beside the manifest, a copy cannot be checked (exit 2, not a verdict)', () => {
    const dir = join(tmp(), 'm');
    cpSync(out, dir, { recursive: true });
    rmSync(join(dir, `${ID}.txt`));
    const r = docprov([
      'verify',
      '--text',
      copyOf('anything'),
      '--manifest',
      join(dir, 'manifest.json'),
      ...trust(),
    ]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(
      `docprov: error: cannot check: the signed canonical text ${ID}.txt is not beside the manifest`,
    );
    expect(r.stderr).toContain('docprov: hint: a copy is compared word by word');
  });
  it.each([
    ['an empty file', Buffer.alloc(0), 'is empty: there is no text to compare'],
    ['a PDF', Buffer.from('%PDF-1.7\n%\xe2\xe3\n1 0 obj\n'), 'is a PDF, not a text copy'],
    [
      'binary data',
      Buffer.from([0x50, 0x4b, 3, 4, 0, 0, 8, 0]),
      'is not text (it holds binary data)',
    ],
    ['bytes that are not UTF-8', Buffer.from('caf\xe9 au lait', 'latin1'), 'is not text'],
  ])('%s given as a text copy cannot be checked (exit 2, not a verdict)', (_n, bytes, said) => {
    const f = join(tmp(), 'copy.txt');
    writeFileSync(f, bytes);
    const r = docprov([
      'verify',
      '--text',
      f,
      '--manifest',
      join(out, 'manifest.json'),
      ...trust(),
    ]);
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`docprov: error: cannot check: ${f} ${said}`);
  });
  it('a character cut by the first kilobyte, or a few escape codes, still make a text copy', () => {
    const canonical = readFileSync(join(out, `${ID}.txt`), 'utf8');
    // 1,023 bytes, then a three-byte quote: the first kilobyte ends inside it
    const cut = `${'x'.repeat(1023)}\u201c ${canonical}`;
    const r = docprov([
      'verify',
      '--text',
      copyOf(cut),
      '--manifest',
      join(out, 'manifest.json'),
      ...trust(),
    ]);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toContain('text-match');
  });
  it("a re-wrapped copy with typographic quotes, CRLF and a web page's spacing verifies", () => {
    const canonical = readFileSync(join(out, `${ID}.txt`), 'utf8');
    const web = canonical
      .replace(/(.{1,50})(\s|$)/g, '$1\r\n')
      .replace(/"([^"]*)"/g, '\u201c$1\u201d')
      .replace(/'/g, '\u2019')
      .replace(/ /g, '  ');
    const r = docprov([
      'verify',
      '--text',
      copyOf(web),
      '--manifest',
      join(out, 'manifest.json'),
      ...trust(),
    ]);
    expect(r.code, r.stdout).toBe(0);
  });
  it('a changed word is reported with its position and both words (exit 1)', () => {
    const canonical = readFileSync(join(out, `${ID}.txt`), 'utf8');
    const r = docprov([
      'verify',
      '--text',
      copyOf(canonical.replace('apartheid regime', 'democratic regime')),
      '--manifest',
      join(out, 'manifest.json'),
      ...trust(),
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /word \d+ \(line \d+, column \d+\): the copy has "democratic" where the original has "apartheid"/,
    );
  });
  it('a one-word copy is reported in a sentence of bounded length, not the whole letter', () => {
    const r = docprov([
      'verify',
      '--text',
      copyOf('the\n'),
      '--manifest',
      join(out, 'manifest.json'),
      ...trust(),
    ]);
    expect(r.code).toBe(1);
    const line = r.stdout.split('\n').find((l) => l.includes('text-match'))!;
    expect(line).toMatch(/the original has "[^"]+ \.\.\." \(\d+ words\)/);
    expect(line.length).toBeLessThan(500);
  });
  it('a dropped sentence is reported too', () => {
    const canonical = readFileSync(join(out, `${ID}.txt`), 'utf8');
    const r = docprov([
      'verify',
      '--text',
      copyOf(canonical.replace(' I cannot submit to such pressure.', '')),
      '--manifest',
      join(out, 'manifest.json'),
      ...trust(),
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('where the original has "I cannot submit to such pressure."');
  });
});

describe('robustness: every input gets a verdict or a clear error, never a crash', () => {
  it('verify - with nothing on standard input is a clear error (exit 2), not a verdict', () => {
    const r = docprov(['verify', '-'], { input: '' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'docprov: error: standard input is empty: there is no PDF to verify',
    );
  });
  /** A file in a fresh folder, holding `data`. */
  const written = (name: string, data: string | Uint8Array): string => {
    const f = join(tmp(), name);
    writeFileSync(f, data);
    return f;
  };
  it('an empty file cannot be checked, and says it is empty (exit 2)', () => {
    const r = docprov(['verify', written('e.pdf', ''), ...trust()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/docprov: error: cannot check: .*e\.pdf is empty \(0 bytes\)/);
    expect(hasStackTrace(r.stdout + r.stderr)).toBe(false);
  });
  const cases: [string, () => string][] = [
    [
      'random garbage',
      () =>
        written('g.pdf', Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7919) % 251))),
    ],
    ['a header and nothing else', () => written('h.pdf', '%PDF-1.7\n')],
    [
      'an unsigned PDF',
      () => written('u.pdf', readFileSync(pdf).subarray(0, readFileSync(pdf).indexOf('%%EOF') + 6)),
    ],
    [
      'deep nesting in the signature dictionary',
      () =>
        written(
          'd.pdf',
          `%PDF-1.7\n1 0 obj\n<< /ByteRange ${'['.repeat(50_000)} >>\nendobj\ntrailer\n<< /Size 2 >>\nstartxref\n0\n%%EOF\n`,
        ),
    ],
    [
      'absurd lengths in an xref stream',
      () =>
        written(
          'l.pdf',
          '%PDF-1.7\n1 0 obj\n<< /Type /XRef /Length 99999999999 /W [1 4 2] /Size 2 >>\nstream\nxx\nendstream\nendobj\nstartxref\n9\n%%EOF\n',
        ),
    ],
    [
      'a /Prev loop',
      () =>
        written(
          'p.pdf',
          '%PDF-1.7\nxref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size 1 /Prev 9 >>\nstartxref\n9\n%%EOF\n',
        ),
    ],
    [
      'absurd DER lengths in /Contents',
      () => {
        const t = readFileSync(pdf, 'latin1');
        const i = t.indexOf('/Contents <') + 11;
        return written(
          'c.pdf',
          Buffer.from(t.slice(0, i) + '3084FFFFFFFF' + t.slice(i + 12), 'latin1'),
        );
      },
    ],
    [
      'a huge sparse file',
      () => {
        const f = written('s.pdf', '%PDF-1.7\n');
        truncateSync(f, 300 * 1024 * 1024);
        return f;
      },
    ],
  ];
  it.each(cases)('%s', (_name, make) => {
    const file = make();
    const r = docprov(['verify', file, ...trust()]);
    expect([1]).toContain(r.code);
    expect(r.stdout).toMatch(/verdict {4}NOT AUTHENTIC/);
    expect(hasStackTrace(r.stdout + r.stderr)).toBe(false);
    rmSync(file);
  });
  it.each([
    [['verify'], 'verify needs a FILE'],
    [['verify', '/nonexistent.pdf'], 'cannot read /nonexistent.pdf'],
    [['verify', '--text', 'x.txt'], 'needs --manifest'],
    [['verify', 'x.pdf', '--now', 'soon'], 'is not a date'],
    [['verify', 'x.pdf', '--signer', 'xyz'], '--signer takes a SHA-256 fingerprint'],
  ])('%j cannot run: exit 2', (args, message) => {
    const r = docprov(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(hasStackTrace(r.stderr)).toBe(false);
  });
});

describe('the report schema', () => {
  it('lists exactly the check ids and codes the verifier can write (closed unions)', async () => {
    const { CHECK_IDS, CHECK_CODES } = await import('../src/core/verify/check-ids.js');
    const schema = JSON.parse(
      readFileSync(`${ROOT}schemas/verification-report.schema.json`, 'utf8'),
    );
    const check = schema.properties.checks.items.properties;
    expect(check.id.enum).toEqual([...CHECK_IDS]);
    expect(check.code.enum).toEqual([...CHECK_CODES]);
  });
});

describe('--json: one report shape, and errors as data too', () => {
  const schemaOf = (name: string) =>
    compileSchema(JSON.parse(readFileSync(`${ROOT}schemas/${name}.schema.json`, 'utf8')));
  it('several inputs give one report that fits the schema, with each input inside it', () => {
    const r = docprov(['verify', pdf, out, ...trust(), '--json']);
    expect(r.code, r.stdout).toBe(0);
    const report = JSON.parse(r.stdout);
    const validate = schemaOf('verification-report');
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report).toMatchObject({ kind: 'several', verdict: 'authentic' });
    expect(report.reports.map((x: { kind: string }) => x.kind)).toEqual(['pdf', 'folder']);
    expect(report.checks.length).toBe(
      report.reports[0].checks.length + report.reports[1].checks.length,
    );
    const mixed = JSON.parse(docprov(['verify', pdf, '/dev/null', ...trust(), '--json']).stdout);
    expect(mixed.format).toBe('docprov-error/1'); // /dev/null is not a PDF file: could not run
  });
  it('a missing file under --json prints a JSON error on stdout, exit code unchanged', () => {
    const r = docprov(['verify', '/nonexistent.pdf', '--json']);
    expect(r.code).toBe(2);
    const err = JSON.parse(r.stdout);
    const validate = schemaOf('error');
    expect(validate(err), JSON.stringify(validate.errors)).toBe(true);
    expect(err).toMatchObject({ exitCode: 2, error: { code: 'unreadable-file' } });
    expect(err.error.message).toContain('/nonexistent.pdf');
    expect(r.stderr).toContain('docprov: error: cannot read /nonexistent.pdf');
  });
  it('a usage error under --json is JSON too', () => {
    const r = docprov(['verify', '--json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({
      format: 'docprov-error/1',
      error: { code: 'usage' },
    });
  });
});

describe('--signed-revision: the bytes the signature covers ("view signed version")', () => {
  it('writes the signed bytes of a PDF that was changed after signing, and says the change', async () => {
    const dir = tmp();
    const signed = readFileSync(pdf);
    // An update after signing: a new object and a new xref section, as an editor would append.
    const { PdfUpdate } = await import('../src/core/sign/update.js');
    const u = await PdfUpdate.open(new Uint8Array(signed));
    u.put(u.newObject(), '<< /Evil true >>');
    const changed = join(dir, 'changed.pdf');
    writeFileSync(changed, u.bytes());
    const out = join(dir, 'as-signed.pdf');
    const r = docprov(['verify', changed, ...trust(), '--signed-revision', out]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('✗ unchanged-after-signing');
    expect(r.stdout).toContain(`signed revision written to ${out}`);
    expect(readFileSync(out).equals(signed)).toBe(true);
    expect(docprov(['verify', out, ...trust()]).code).toBe(0);
  });
  it('refuses when the signature itself does not check out', () => {
    const dir = tmp();
    const bytes = readFileSync(pdf);
    bytes[100] = bytes[100]! ^ 1;
    writeFileSync(join(dir, 'bad.pdf'), bytes);
    const r = docprov([
      'verify',
      join(dir, 'bad.pdf'),
      ...trust(),
      '--signed-revision',
      join(dir, 'o.pdf'),
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /the signed revision cannot be written: message-digest: the signed bytes \(.*\) were changed/,
    );
    expect(existsSync(join(dir, 'o.pdf'))).toBe(false);
  });
});
