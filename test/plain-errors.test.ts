import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { docprov, hasStackTrace, type Run } from './helpers/cli.js';
import { LETTER_DIR } from './helpers/paths.js';

// Issue 11, item 7: errors name the file they are about, and say each location once.

const tmp = () => mkdtempSync(join(tmpdir(), 'docprov-errors-'));
const plainError = (r: Run, message: string, code = 2) => {
  expect(r.code, r.stderr).toBe(code);
  expect(r.stderr).toContain(`docprov: error: ${message}`);
  expect(r.stderr).toMatch(/\ndocprov: hint: \S/);
  expect(r.stderr).not.toContain('internal error');
  expect(hasStackTrace(r.stderr)).toBe(false);
};

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
      `docprov: error: ${file}:1:2: bidirectional control character U+202E`,
      `docprov: error: ${file}:2:2: bidirectional control character U+2067`,
    ]);
  });
  it('docprov help verify prints what docprov verify --help prints', () => {
    const help = docprov(['help', 'verify']);
    expect(help.code).toBe(0);
    expect(help.stdout).toBe(docprov(['verify', '--help']).stdout);
    expect(help.stdout).toMatch(/^Usage: docprov verify/);
    plainError(docprov(['help', 'frobnicate']), 'unknown command "frobnicate"');
  });
});
