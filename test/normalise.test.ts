import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalise, normaliseText, NORMALISATION_RULES } from '../src/core/normalise/index.js';
import { INVISIBLE_TABLE } from '../src/core/normalise/invisible.js';
import type { DocprovError } from '../src/core/errors.js';
import { thrown } from './helpers/errors.js';
import { LETTER_DIR } from './helpers/paths.js';

const enc = (s: string) => new TextEncoder().encode(s);
const rules = (s: string) =>
  Object.fromEntries(normaliseText(s).changes.map((c) => [c.rule, c.count]));

describe('normalisation rules (docprov-text/2)', () => {
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
    const e = thrown(() => normaliseText('a\u202eb\u200bc\nd\u0007\n'));
    expect(e.code).toBe('forbidden-character');
    expect(e.problems.map((p) => [p.code, p.location])).toEqual([
      ['forbidden-bidi-control', { line: 1, column: 2 }],
      ['forbidden-invisible', { line: 1, column: 4 }],
      ['forbidden-control', { line: 2, column: 2 }],
    ]);
    expect(e.problems.map((p) => /U\+[0-9A-F]{4}/.exec(p.message)?.[0])).toEqual([
      'U+202E',
      'U+200B',
      'U+0007',
    ]);
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
    let checked = 0;
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom(
            'a',
            ' ',
            '\n',
            '\r',
            '\t',
            '\u00a0',
            'e\u0301',
            'é',
            '\uFEFF',
            '\u00ad',
            '\u2028',
            '\u2029',
          ),
        }),
        (s) => {
          let once: string;
          try {
            once = normaliseText(s).text;
          } catch (e) {
            // Only a BOM inside the text is forbidden here: it has no canonical form.
            const err = e as DocprovError;
            const bomInside = s.indexOf('\uFEFF', 1) > 0;
            const onlyBoms =
              err.code === 'forbidden-character' &&
              err.problems.every(
                (p) => p.code === 'forbidden-invisible' && p.message.includes('U+FEFF'),
              );
            if (bomInside && onlyBoms) return;
            throw e;
          }
          const twice = normaliseText(once);
          expect(twice.text).toBe(once);
          expect(twice.changes).toEqual([]);
          checked++;
        },
      ),
      { numRuns: 1000 },
    );
    expect(checked).toBeGreaterThan(500); // most inputs (~2/3) have a canonical form to check
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

// Every code point of Cf, Zl, Zp and Default_Ignorable_Code_Point, as this runtime's Unicode has them.
const INVISIBLE = /^[\p{Cf}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]$/u;
const invisibleSet: number[] = [];
for (let cp = 0; cp <= 0x10ffff; cp++)
  if ((cp < 0xd800 || cp > 0xdfff) && INVISIBLE.test(String.fromCodePoint(cp)))
    invisibleSet.push(cp);
const hex = (cp: number) => 'U+' + cp.toString(16).toUpperCase().padStart(4, '0');

/** What normalising "first\nab<ch>c\n" does with the character: its fate and where it was seen. */
function fate(cp: number): { removed?: string; rejected?: string; text?: string } {
  const ch = String.fromCodePoint(cp);
  try {
    const r = normaliseText(`first\nab${ch}c\n`);
    const change = r.changes.find((c) => c.first.line === 2 && c.first.column === 3);
    return { ...(change ? { removed: change.rule } : {}), text: r.text };
  } catch (e) {
    const p = (e as { problems?: { message: string; location?: object }[] }).problems?.[0];
    const at = JSON.stringify(p?.location);
    return { rejected: at === '{"line":2,"column":3}' ? p!.message : `elsewhere: ${at}` };
  }
}

describe('invisible characters (docprov-text/2): rejected with their place, or converted and reported', () => {
  it('the rules version names the table', () => {
    expect(NORMALISATION_RULES).toBe('docprov-text/2');
  });
  it.each([
    [0x200e, 'bidirectional control character U+200E'],
    [0x200f, 'bidirectional control character U+200F'],
    [0x061c, 'bidirectional control character U+061C'],
    [0xe0001, 'invisible tag character U+E0001'],
    [0xe0020, 'invisible tag character U+E0020'],
    [0xe0041, 'invisible tag character U+E0041'],
    [0xe007f, 'invisible tag character U+E007F'],
    [0xe0000, 'zero-width or invisible character U+E0000'],
    [0x180e, 'zero-width or invisible character U+180E'],
    ...[0x206a, 0x206b, 0x206c, 0x206d, 0x206e, 0x206f].map(
      (cp) => [cp, `invisible format character ${hex(cp)}`] as [number, string],
    ),
    ...[0xfff9, 0xfffa, 0xfffb, 0x1bca0, 0x1bca1, 0x1bca2, 0x1bca3].map(
      (cp) => [cp, `invisible format character ${hex(cp)}`] as [number, string],
    ),
    ...[0x1d173, 0x1d174, 0x1d175, 0x1d176, 0x1d177, 0x1d178, 0x1d179, 0x1d17a].map(
      (cp) => [cp, `invisible format character ${hex(cp)}`] as [number, string],
    ),
    [0x3164, 'invisible filler character U+3164'],
    [0x115f, 'invisible filler character U+115F'],
    [0x1160, 'invisible filler character U+1160'],
    [0xffa0, 'invisible filler character U+FFA0'],
    [0xfe0f, 'variation selector U+FE0F'],
    [0xe0100, 'variation selector U+E0100'],
    [0x034f, 'zero-width or invisible character U+034F'],
  ])('rejects %s at its line and column', (cp, message) => {
    expect(fate(cp).rejected).toContain(message);
  });
  it('removes a soft hyphen (U+00AD), and reports it', () => {
    expect(fate(0xad)).toEqual({ removed: 'soft-hyphen-removed', text: 'first\nabc\n' });
  });
  it('turns U+2028 into a line break and U+2029 into a paragraph break, and reports them', () => {
    expect(fate(0x2028)).toEqual({ removed: 'line-separator-to-lf', text: 'first\nab\nc\n' });
    expect(fate(0x2029)).toEqual({
      removed: 'paragraph-separator-to-lf',
      text: 'first\nab\n\nc\n',
    });
  });
  it('the table names every code point of Cf, Zl, Zp and Default_Ignorable_Code_Point', () => {
    const unlisted = invisibleSet.filter(
      (cp) => !INVISIBLE_TABLE.some(([first, last]) => cp >= first && cp <= last),
    );
    expect(unlisted.map(hex)).toEqual([]);
    expect(invisibleSet.length).toBeGreaterThan(4000);
  });
  it(`none of the ${invisibleSet.length} passes silently: each is rejected where it is, or removed with a report`, () => {
    const silent = invisibleSet.filter((cp) => {
      const f = fate(cp);
      if (f.rejected) return f.rejected.startsWith('elsewhere') || !f.rejected.includes(hex(cp));
      return !f.removed || [...f.text!].some((c) => c.codePointAt(0) === cp);
    });
    expect(silent.map(hex)).toEqual([]);
  });
  it('in any text, each one is rejected at its own line and column, or gone with a report', () => {
    const letter = fc.constantFrom('a', 'Z', ' ', 'é', '\n');
    const invisible = fc.constantFrom(...invisibleSet).map((cp) => String.fromCodePoint(cp));
    fc.assert(
      fc.property(fc.array(fc.oneof(letter, letter, invisible), { maxLength: 30 }), (units) => {
        const text = units.join('');
        // A leading byte order mark is removed (and reported); places count from after it, as editors show them.
        const bom = text.startsWith('\uFEFF');
        const expected: string[] = [];
        (bom ? text.slice(1) : text).split('\n').forEach((line, i) => {
          let column = 0;
          for (const ch of line) {
            column++;
            const t = ch.codePointAt(0)!;
            if (INVISIBLE.test(ch) && t !== 0xad && t !== 0x2028 && t !== 0x2029)
              expected.push(`${i + 1}:${column}`);
          }
        });
        try {
          const r = normaliseText(text);
          expect(expected).toEqual([]);
          expect([...r.text].filter((c) => INVISIBLE.test(c))).toEqual([]);
          const converted = [...text].filter((c) => INVISIBLE.test(c)).length;
          expect(r.changes.length > 0 || converted === 0).toBe(true);
          if (bom) expect(r.changes.map((c) => c.rule)).toContain('bom-removed');
        } catch (e) {
          const problems = (e as { problems: { location: { line: number; column: number } }[] })
            .problems;
          expect(problems.map((p) => `${p.location.line}:${p.location.column}`)).toEqual(
            expected.slice(0, 50),
          );
        }
      }),
      { numRuns: 500 },
    );
  });
});
