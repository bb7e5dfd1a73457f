import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonText, printable } from '../src/cli/printable.js';

const RAW = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

describe('printable: text from an input, safe for a terminal', () => {
  it.each([
    ['\x1b[2J', '\\x1b[2J'],
    ['a\x07b\x00c\x7f', 'a\\x07b\\x00c\\x7f'],
    ['\x9b31m', '\\x9b31m'],
    ['ab\u202ecd\u2066\u200f', 'ab\\u202ecd\\u2066\\u200f'],
    ['zero\u200bwidth\u2028line', 'zero\\u200bwidth\\u2028line'],
    ['tag\u{e0041}', 'tag\\u{e0041}'],
    ['line\nbreak\ttab', 'line\\x0abreak\\x09tab'],
    ['António Guterres — 17 March', 'António Guterres — 17 March'],
  ])('%j -> %s', (input, shown) => {
    expect(printable(input)).toBe(shown);
  });
  it('never lets a control or format character through, whatever the string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(RAW.test(printable(s))).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('jsonText: the same JSON value, escaped for a terminal', () => {
  it('keeps the value and escapes C1, bidi and separators', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.string({ unit: 'binary' }), (v, s) => {
        const value = { v, s };
        const text = jsonText(value);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
        expect(RAW.test(text.replace(/\n/g, ''))).toBe(false);
      }),
      { numRuns: 1000 },
    );
    expect(jsonText({ s: '\u202e\x9b' })).toBe('{\n  "s": "\\u202e\\u009b"\n}\n');
  });
});
