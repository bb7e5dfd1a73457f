import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalise, normaliseText } from '../src/core/normalise/index.js';
import { thrown } from './helpers/errors.js';
import { LETTER_DIR } from './helpers/paths.js';

const enc = (s: string) => new TextEncoder().encode(s);
const rules = (s: string) =>
  Object.fromEntries(normaliseText(s).changes.map((c) => [c.rule, c.count]));

describe('normalisation rules (docprov-text/1)', () => {
  it('removes a BOM', () => {
    expect(normalise(new Uint8Array([0xef, 0xbb, 0xbf, 0x61])).text).toBe('a\n');
    expect(rules('\uFEFFa\n')).toEqual({ 'bom-removed': 1 });
  });
  it('composes to NFC', () => {
    expect(normaliseText('Anto\u0301nio\n').text).toBe('Ant\u00f3nio\n');
    const change = normaliseText('x\nAnto\u0301nio\n').changes[0]!;
    expect(change).toEqual({ rule: 'unicode-nfc', count: 1, first: { line: 2, column: 4 } });
  });
  it('turns CRLF and CR into LF', () => {
    expect(normaliseText('a\r\nb\rc\n').text).toBe('a\nb\nc\n');
    expect(rules('a\r\nb\rc\n')).toEqual({ 'crlf-to-lf': 1, 'cr-to-lf': 1 });
  });
  it('removes trailing whitespace, NBSP included', () => {
    expect(normaliseText('a \t\u00a0\nb\n').text).toBe('a\nb\n');
    expect(normaliseText('a  \n').changes[0]).toEqual({
      rule: 'trailing-whitespace',
      count: 1,
      first: { line: 1, column: 2 },
    });
  });
  it('keeps tabs and spaces inside a line', () => {
    expect(normaliseText('a \tb\n').text).toBe('a \tb\n');
  });
  it('blanks whitespace-only lines and collapses blank runs', () => {
    expect(normaliseText('a\n \t\u00a0\n\n\nb\n').text).toBe('a\n\nb\n');
    expect(rules('a\n \n\n\nb\n')).toEqual({
      'whitespace-only-line': 1,
      'blank-lines-collapsed': 2,
    });
  });
  it('removes leading and trailing blank lines and ends with exactly one LF', () => {
    expect(normaliseText('\n\n a\n\n\n').text).toBe(' a\n');
    expect(rules('\n\na\n\n\n')).toEqual({ 'leading-blank-lines': 2, 'trailing-blank-lines': 2 });
    expect(normaliseText('a').text).toBe('a\n');
    expect(rules('a')).toEqual({ 'final-newline': 1 });
    expect(normaliseText('').text).toBe('');
  });
  it('keeps the line structure of a block', () => {
    expect(normaliseText('Rima Khalaf\nUnder-Secretary-General\n').text).toBe(
      'Rima Khalaf\nUnder-Secretary-General\n',
    );
  });
  it('reports nothing for canonical text', () => {
    expect(normaliseText('a\n\nb\n').changes).toEqual([]);
  });
});

describe('rejected input', () => {
  it('names byte offset, line and column of invalid UTF-8', () => {
    const e = thrown(() => normalise(new Uint8Array([0x61, 0x0a, 0x62, 0x63, 0xff, 0x64])));
    expect(e.code).toBe('invalid-utf8');
    expect(e.message).toContain('byte offset 4');
    expect(e.problems[0]!.location).toMatchObject({ line: 2, column: 3, offset: 4 });
  });
  it.each([
    ['overlong', [0xc0, 0xaf]],
    ['encoded surrogate (lone surrogate)', [0xed, 0xa0, 0x80]],
    ['above U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ['truncated', [0xe2, 0x82]],
    ['stray continuation', [0x80]],
  ])('rejects %s bytes', (_name, bytes) => {
    expect(thrown(() => normalise(new Uint8Array(bytes))).code).toBe('invalid-utf8');
  });
  it.each([
    ['control', '\u0007', 'forbidden-control'],
    ['C1 control', '\u0085', 'forbidden-control'],
    ['bidi override', '\u202e', 'forbidden-bidi-control'],
    ['bidi isolate', '\u2067', 'forbidden-bidi-control'],
    ['zero-width space', '\u200b', 'forbidden-invisible'],
    ['zero-width joiner', '\u200d', 'forbidden-invisible'],
    ['word joiner', '\u2060', 'forbidden-invisible'],
    ['BOM inside text', '\ufeff', 'forbidden-invisible'],
    ['private use', '\ue000', 'forbidden-private-use'],
    ['unassigned', '\u0378', 'forbidden-unassigned'],
    ['lone surrogate', '\ud800', 'forbidden-lone-surrogate'],
  ])('rejects a %s with line, column and code point', (_name, ch, code) => {
    const e = thrown(() => normaliseText(`first\nab${ch}c\n`));
    expect(e.code).toBe('forbidden-character');
    expect(e.problems[0]).toMatchObject({ code, location: { line: 2, column: 3 } });
    const cp = ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    expect(e.problems[0]!.message).toContain(`U+${cp}`);
  });
  it('lists every forbidden character, not only the first', () => {
    expect(thrown(() => normaliseText('a\u202eb\u200bc\n')).problems).toHaveLength(2);
  });
  it('warns about a word that mixes scripts', () => {
    const r = normaliseText('the Sec\u0440etary\n');
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatchObject({ code: 'mixed-script', location: { line: 1, column: 5 } });
    expect(normaliseText('Antonio and \u0410\u043d\u0442\u043e\u043d\n').warnings).toEqual([]);
  });
});

describe('properties', () => {
  const canonicalLine = fc
    .string({
      unit: fc.constantFrom('a', 'B', 'é', 'ß', ' ', '-', ',', 'ö', '\t'),
      minLength: 1,
      maxLength: 20,
    })
    .map((s) => s.replace(/[ \t]+$/u, ''))
    .filter((s) => s.trim() !== '');
  const canonicalDoc = fc
    .array(fc.array(canonicalLine, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 5 })
    .map((blocks) => blocks.map((b) => b.join('\n')).join('\n\n') + '\n');

  // Re-encodes a canonical document with every variation the rules undo.
  const variant = (doc: string, seed: number[]): string => {
    const lines = doc.slice(0, -1).split('\n');
    const pick = (i: number) => seed[i % seed.length]!;
    const eol = ['\n', '\r\n', '\r'][pick(5) % 3]!;
    let out = pick(0) % 2 ? '\uFEFF' : '';
    out += '\n'.repeat(pick(1) % 3);
    lines.forEach((line, i) => {
      const decomposed = pick(i + 2) % 2 ? line.normalize('NFD') : line;
      const trailing = [' ', '\t', '\u00a0', ''][pick(i + 3) % 4]!;
      const blank = line === '' ? [' ', '\t\u00a0', '', '\n'][pick(i + 4) % 4]! : '';
      out += decomposed + trailing + blank + '\n';
    });
    out += ['', '\n', ' \n\n'][pick(6) % 3]!;
    if (pick(7) % 2) out = out.replace(/\n$/, '');
    // One line-ending style per copy: a CR followed by a LF would be one CRLF, not two breaks.
    return out.replace(/\n/g, eol);
  };

  it('copies that differ only in encoding details normalise to identical bytes', () => {
    fc.assert(
      fc.property(canonicalDoc, fc.array(fc.nat(), { minLength: 8, maxLength: 8 }), (doc, seed) => {
        const v = variant(doc, seed);
        expect(normalise(new TextEncoder().encode(v)).text).toBe(doc);
      }),
      { numRuns: 500 },
    );
  });
  it('normalising twice changes nothing', () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom('a', ' ', '\n', '\r', '\t', '\u00a0', 'e\u0301', 'é', '\uFEFF'),
        }),
        (s) => {
          let once: string;
          try {
            once = normaliseText(s).text;
          } catch {
            return; // forbidden input (a BOM inside the text) has no canonical form
          }
          const twice = normaliseText(once);
          expect(twice.text).toBe(once);
          expect(twice.changes).toEqual([]);
        },
      ),
      { numRuns: 1000 },
    );
  });
  it('normalises the letter, and a CRLF, NFD, BOM copy of it, to the same bytes', () => {
    const raw = readFileSync(`${LETTER_DIR}/source.txt`, 'utf8');
    const canonical = normalise(enc(raw)).text;
    const mangled = '\uFEFF' + raw.normalize('NFD').replace(/\n/g, ' \r\n') + '\r\n\r\n';
    expect(normalise(enc(mangled)).text).toBe(canonical);
    expect(canonical.startsWith('Beirut, 17 March 2017\n\nDear')).toBe(true);
    expect(canonical.endsWith('United Nations\n')).toBe(true);
  });
});
