import {
  mkdtempSync,
  readFileSync,
  writeFileSync,
  mkdirSync,
  copyFileSync,
  readdirSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { docprov, hasStackTrace } from './helpers/cli.js';
import { LETTER_DIR } from './helpers/paths.js';
import { sortedJson } from './helpers/sorted-json.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'docprov-cli-'));
const source = `${LETTER_DIR}/source.txt`;
const metadata = `${LETTER_DIR}/metadata.json`;

describe('docprov CLI', () => {
  it('--version and --help', () => {
    const v = docprov(['--version']);
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/^docprov \d+\.\d+\.\d+\n$/);
    const h = docprov(['--help']);
    expect(h.code).toBe(0);
    for (const c of ['normalise', 'validate', 'build']) {
      expect(h.stdout).toContain(c);
      const ch = docprov([c, '--help']);
      expect(ch.code).toBe(0);
      expect(ch.stdout).toContain(`Usage: docprov ${c}`);
    }
  });

  it('normalise prints the canonical text and, with --report, the changes', () => {
    const r = docprov(['normalise', source, '--report']);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('Beirut, 17 March 2017\n\nDear Mr. Secretary-General,\n')).toBe(
      true,
    );
    expect(r.stderr).toContain(
      'docprov: change: leading-blank-lines x4, first at line 1, column 1',
    );
    expect(r.stderr).toContain('docprov: change: final-newline x1');
  });

  it('normalise reads standard input', () => {
    const r = docprov(['normalise', '-'], { input: 'a \r\nb' });
    expect(r).toMatchObject({ code: 0, stdout: 'a\nb\n' });
  });

  it('normalise rejects hostile characters with their location, exit 1', () => {
    const r = docprov(['normalise', '-'], { input: 'fine\nev\u202eil\n' });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('docprov: error: ');
    expect(r.stderr).toContain(
      'docprov: error: <stdin>:2:3: bidirectional control character U+202E',
    );
    expect(r.stderr).toContain('docprov: hint: ');
    expect(hasStackTrace(r.stderr)).toBe(false);
  });

  it('normalise rejects invalid UTF-8 naming the byte offset, exit 1', () => {
    const r = docprov(['normalise', '-'], { input: new Uint8Array([0x61, 0x0a, 0xc3, 0x28]) });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('docprov: error: <stdin>:2:1: invalid UTF-8 at byte offset 2');
  });

  it('validate accepts the committed metadata', () => {
    const r = docprov(['validate', metadata, '--text', source]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('is valid');
  });

  it('validate lists every error with file:line:column, exit 1', () => {
    const dir = tmp();
    const bad = readFileSync(metadata, 'utf8')
      .replace('"type": "letter",', '"type": "letter",\n  "colour": "red",')
      .replace('"date": "2017-03-17"', '"date": "soon"')
      .replace('"language": "en"', '"language": "english!"')
      .replace('  "place": "Beirut",\n', '');
    writeFileSync(join(dir, 'm.json'), bad);
    const r = docprov(['validate', 'm.json', '--text', source], { cwd: dir });
    expect(r.code).toBe(1);
    // Each error at its member's key (line:column found in the text), the missing one at the root.
    const at = (key: string) => {
      const line = bad.split('\n').findIndex((l) => l.includes(`"${key}":`));
      return `${line + 1}:${bad.split('\n')[line]!.indexOf(`"${key}":`) + 1}`;
    };
    const errors = r.stderr.split('\n').filter((l) => l.startsWith('docprov: error: '));
    expect(errors).toEqual([
      'docprov: error: m.json has 4 errors',
      'docprov: error: m.json:1:1: /: missing required property "place"',
      `docprov: error: m.json:${at('colour')}: /: unknown property "colour" (not in the schema)`,
      `docprov: error: m.json:${at('date')}: /date: "soon" is not a date in the form YYYY-MM-DD (e.g. 2017-03-17)`,
      expect.stringMatching(
        new RegExp(
          `^docprov: error: m\\.json:${at('language')}: /language: does not match the pattern `,
        ),
      ),
    ]);
    expect(hasStackTrace(r.stderr)).toBe(false);
  });

  it('validate reports the cross-check after a schema-clean file', () => {
    const dir = tmp();
    writeFileSync(
      join(dir, 'm.json'),
      readFileSync(metadata, 'utf8').replace('"2017-03-17"', '"2017-03-18"'),
    );
    const r = docprov(['validate', join(dir, 'm.json'), '--text', source]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `the metadata's date "2017-03-18" disagrees with the letter's "2017-03-17"`,
    );
  });

  it('malformed JSON names its line and column', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'm.json'), '{\n  "id": "x",\n}');
    const r = docprov(['validate', join(dir, 'm.json'), '--text', source]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/m\.json:2:12: malformed JSON: trailing comma before "}"\n/);
  });

  it.each([
    [['frobnicate'], 'unknown command'],
    [['verfy', 'x.pdf'], 'unknown command "verfy"\ndocprov: hint: did you mean "docprov verify"?'],
    [['chek'], 'did you mean "docprov check"?'],
    [['validate', metadata], 'validate takes METADATA and --text SOURCE'],
    [['normalise', '/nonexistent/file.txt'], 'cannot read /nonexistent/file.txt: no such file'],
    [['normalise', '--bogus', source], 'docprov: error: normalise: unknown option --bogus\n'],
    [['build', LETTER_DIR, '-o'], 'docprov: error: build: option --out needs a value\n'],
    [['keys', 'show', '--json=yes'], 'docprov: error: keys: option --json takes no value\n'],
    [['build', LETTER_DIR], 'build takes SOURCE_DIR and -o OUT_DIR'],
  ])('%j cannot run: exit 2 with an error and a hint', (args, message) => {
    const r = docprov(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`docprov: error: `);
    expect(r.stderr).toContain(message);
    expect(r.stderr).toContain('docprov: hint: ');
    expect(hasStackTrace(r.stderr)).toBe(false);
  });

  it('build writes the canonical text and metadata', () => {
    const out = join(tmp(), 'out');
    const r = docprov(['build', LETTER_DIR, '-o', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(out, 'khalaf-2017-03-17.txt'), 'utf8')).toBe(
      docprov(['normalise', source]).stdout,
    );
    // The metadata as validated: its members without $schema, in canonical form.
    const { $schema, ...members } = JSON.parse(readFileSync(metadata, 'utf8'));
    expect($schema).toBeDefined();
    expect(readFileSync(join(out, 'khalaf-2017-03-17.metadata.json'), 'utf8')).toBe(
      sortedJson(members),
    );
  });

  it('a failed build leaves the output folder as it was', () => {
    const dir = tmp();
    const src = join(dir, 'src');
    mkdirSync(src);
    copyFileSync(source, join(src, 'source.txt'));
    copyFileSync(metadata, join(src, 'metadata.json'));
    const out = join(dir, 'out');
    expect(docprov(['build', src, '-o', out]).code).toBe(0);
    const before = readdirSync(out).map((n) => [n, readFileSync(join(out, n), 'base64')]);
    writeFileSync(
      join(src, 'metadata.json'),
      readFileSync(metadata, 'utf8').replace('"Beirut"', '"Amman"'),
    );
    const r = docprov(['build', src, '-o', out]);
    expect(r.code).toBe(1);
    expect(readdirSync(out).map((n) => [n, readFileSync(join(out, n), 'base64')])).toEqual(before);
    // Beside it only the transparency log the first build made, and the failed one left alone.
    expect(readdirSync(dir).sort()).toEqual(['log', 'out', 'src']);
    expect(readdirSync(join(dir, 'log', 'checkpoints'))).toEqual(['1']);
  });
});
