import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseLetter, parseWrittenDate } from '../src/core/letter/index.js';
import { normalise } from '../src/core/normalise/index.js';
import { thrown } from './helpers/errors.js';
import { LETTER_DIR } from './helpers/paths.js';

const canonical = normalise(readFileSync(`${LETTER_DIR}/source.txt`)).text;

describe('parseLetter on the seed letter', () => {
  const letter = parseLetter(canonical);
  it('finds the dateline', () => {
    expect(letter.dateline).toEqual({
      value: { text: 'Beirut, 17 March 2017', place: 'Beirut', date: '2017-03-17' },
      line: 1,
    });
  });
  it('finds salutation, seven body paragraphs and the close', () => {
    expect(letter.salutation.value).toBe('Dear Mr. Secretary-General,');
    expect(letter.body).toHaveLength(7);
    expect(letter.body[0]!.value).toMatch(/^I have carefully considered/);
    expect(letter.body[6]!.value).toMatch(/my resignation from the United Nations\.$/);
    expect(letter.close.value).toBe('Respectfully,');
  });
  it('finds the signature and addressee blocks', () => {
    expect(letter.signature.value).toEqual({
      name: 'Rima Khalaf',
      lines: ['Under-Secretary-General', 'Executive Secretary'],
    });
    expect(letter.addressee.value).toEqual({
      honorific: 'Mr.',
      name: 'António Guterres',
      lines: ['Secretary-General', 'United Nations'],
    });
  });
});

describe('parseLetter on text without the shape of a letter', () => {
  const blocks = canonical.trimEnd().split('\n\n');
  const without = (i: number) => blocks.filter((_, k) => k !== i).join('\n\n') + '\n';
  it.each([
    ['letter-empty', ''],
    ['missing-dateline', without(0)],
    ['bad-date', canonical.replace('17 March 2017', '31 February 2017')],
    ['missing-salutation', without(1)],
    ['missing-body', blocks.slice(0, 2).concat(blocks.slice(9)).join('\n\n')],
    ['missing-close', without(9)],
    ['missing-signature', blocks.slice(0, 10).join('\n\n')],
    ['missing-addressee', blocks.slice(0, 11).join('\n\n')],
    ['unexpected-block', canonical + '\nP.S. one more thing\n'],
  ])('rejects it with %s', (code, text) => {
    const e = thrown(() => parseLetter(text));
    expect(e.code).toBe(code);
    expect(e.message.length).toBeGreaterThan(10);
  });
});

describe('parseWrittenDate', () => {
  it.each([
    ['17 March 2017', '2017-03-17'],
    ['March 17, 2017', '2017-03-17'],
    ['2017-03-17', '2017-03-17'],
    ['29 February 2016', '2016-02-29'],
    ['29 February 2017', undefined],
    ['17 Marchember 2017', undefined],
  ])('%s -> %s', (text, iso) => {
    expect(parseWrittenDate(text)).toBe(iso);
  });
});
