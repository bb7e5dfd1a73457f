import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  describeTolerated,
  diffWords,
  matchCopy,
  tolerantWords,
  type Canonical,
} from '../src/core/text/compare.js';
import { LETTER_DIR } from './helpers/paths.js';
import { normalise } from '../src/core/normalise/index.js';

// The comparison form docprov-compare/3: what it tolerates, where, counted; and that nothing
// else passes (every attack below was a forged quotation that the first form let through).

const text = normalise(readFileSync(`${LETTER_DIR}/source.txt`)).text;
const words = text.split(/\s+/).filter(Boolean);
// Page 1 ends after "... I cannot" (test layout): its footer may stand there, and at the end.
const firstPageEnd = text
  .slice(0, text.indexOf('I cannot submit') + 'I cannot'.length)
  .split(/\s+/)
  .filter(Boolean).length;
const canon: Canonical = {
  text,
  id: 'khalaf-2017-03-17',
  digest16: '0123456789abcdef',
  layout: { pages: 2, pageEnds: [firstPageEnd, words.length], lineEndHyphens: [] },
};
const footer = 'khalaf-2017-03-17 \u00b7 SHA-256 0123456789abcdef';
const swap = (from: string, to: string) => {
  expect(text).toContain(from);
  return text.replace(from, to);
};

describe('a faithful copy matches, and what was tolerated is counted', () => {
  it('the canonical text itself: nothing tolerated', () => {
    const m = matchCopy(text, canon);
    expect(m).toMatchObject({ ok: true, scope: 'document', first: 0, last: 743, words: 744 });
    expect(describeTolerated(m.tolerated)).toBe('nothing');
  });
  it('footers and page labels on lines of their own, where their page ends, at most one a page', () => {
    const copy =
      swap('I cannot submit', `I cannot\n${footer}\n1 / 2\n\fsubmit`) + `\n${footer}   2/2\n`;
    const m = matchCopy(copy, canon);
    expect(m.ok).toBe(true);
    expect(m.tolerated).toMatchObject({ footers: 2, pageLabels: 2 });
    expect(describeTolerated(m.tolerated)).toBe('2 footers, 2 page labels');
  });
  it('a line-end hyphen where joining gives the original word, keeping an explicit hyphen', () => {
    const copy = swap('carefully considered', 'carefully consid-\nered').replace(
      'Dear Mr. Secretary-General,',
      'Dear Mr. Secretary-\nGeneral,',
    );
    const m = matchCopy(copy, canon);
    expect(m.ok).toBe(true);
    expect(m.tolerated.lineEndHyphens).toBe(2);
  });
  it('typographic quotes, ligatures and NFD are folded, and counted', () => {
    const copy = swap("ESCWA's report", 'ESCWA\u2019s report')
      .replace('"Israeli', '\u201cIsraeli')
      .replace('difficult', 'di\ufb03cult')
      .replace('António', 'Anto\u0301nio');
    const m = matchCopy(copy, canon);
    expect(m.ok).toBe(true);
    expect(m.tolerated).toMatchObject({ foldedCharacters: 3, nfc: 1 });
  });
  it('an explicit hyphen that the PDF breaks a line after may be missing (pdftotext joins it), only there', () => {
    const copy = swap('Dear Mr. Secretary-General,', 'Dear Mr. SecretaryGeneral,');
    expect(matchCopy(copy, canon).ok).toBe(false);
    const withBreak = {
      ...canon,
      layout: { ...canon.layout, lineEndHyphens: [{ word: 6, at: 9 }] },
    };
    const m = matchCopy(copy, withBreak);
    expect(m.ok).toBe(true);
    expect(m.tolerated.joinedHyphens).toBe(1);
  });
  it('a paragraph or a sentence verifies as an excerpt, with its place, never as the whole', () => {
    const m = matchCopy('It is only normal for criminals to pressure and attack those', canon);
    expect(m).toMatchObject({ ok: true, scope: 'excerpt', words: 744 });
    expect(
      text
        .split(/\s+/)
        .slice(m.first!, m.last! + 1)
        .join(' '),
    ).toBe('It is only normal for criminals to pressure and attack those');
    expect(matchCopy('I cannot submit to', canon).ok).toBe(false); // too short to place
  });
  it('a word broken across the page break, its footer between the halves', () => {
    const copy = swap('I cannot submit', `I can-\n${footer}\n1 / 2\n\fnot submit`);
    const m = matchCopy(copy, {
      ...canon,
      layout: { ...canon.layout, pageEnds: [firstPageEnd - 1, words.length] },
    });
    expect(m.ok).toBe(true);
    expect(m.tolerated).toMatchObject({ footers: 1, pageLabels: 1, lineEndHyphens: 1 });
  });
  it('an excerpt across the page break keeps its footer', () => {
    const m = matchCopy(`It is only normal for criminals to pressure and attack those`, canon);
    expect(m.ok).toBe(true);
    const across = matchCopy(
      `the cause of their victims. I cannot\n${footer} 1/2\nsubmit to such pressure.`,
      canon,
    );
    expect(across).toMatchObject({ ok: true, scope: 'excerpt' });
    expect(across.tolerated).toMatchObject({ footers: 1, pageLabels: 1 });
  });
});

describe('a copy that changes what the letter says does not match', () => {
  it.each([
    [
      'a footer-shaped line mid-paragraph',
      swap(
        'I cannot submit',
        'I cannot\ni-withdraw-this-resignation \u00b7 SHA-256 0000000000000000\nsubmit',
      ),
    ],
    ['this footer inside a line of text', swap('I cannot submit', `I cannot ${footer} submit`)],
    [
      'a footer with another digest',
      `${text}\nkhalaf-2017-03-17 \u00b7 SHA-256 0000000000000000\n`,
    ],
    ['more footers than pages', `${text}\n${footer}\n${footer}\n${footer}\n`],
    ['a page label beyond the page count', `${text}\n3 / 2\n`],
    ['the same page label twice', `${text}\n1 / 2\n1 / 2\n`],
    [
      'a page label where no page ends',
      swap('I cannot submit to such', 'I cannot submit\n1/2\nto such'),
    ],
    ["page 2's label where page 1 ends", swap('I cannot submit', 'I cannot\n2 / 2\nsubmit')],
    ['a footer where no page ends', swap('submit to such', `submit\n${footer}\nto such`)],
    [
      'a footer line splitting a word that is not broken there',
      swap('I cannot submit', `I can-\n${footer}\nnot submit`),
    ],
    ['a hyphen inside a word (re-sort)', swap('will resort to', 'will re-sort to')],
    ['a hyphen inside a word (re-solved)', swap('only be resolved', 'only be re-solved')],
    ['a line-end hyphen that joins to another word', swap('will resort to', 'will re-\nsorted to')],
    ['U+2212 before a number', swap('17 March 2017', '17 March \u22122017')],
    ['a superscript digit', swap('17 March 2017', '17 March 201\u2077')],
    ['a fullwidth letter', swap('Apartheid', 'Ap\uff41rtheid')],
    ['a zero-width space', swap('Apartheid', 'Apart\u200bheid')],
    ['an en dash for a hyphen', swap('well-researched', 'well\u2013researched')],
    ['a word left out', swap(' I cannot submit to such pressure.', '')],
    ['a word added', swap('I cannot submit', 'I cannot ever submit')],
  ])('%s', (_name, copy) => {
    expect(matchCopy(copy, canon).ok).toBe(false);
  });
});

describe('issue 18, part 3: excerpts, differences and cost', () => {
  it('the five-word minimum of an excerpt counts the letter’s words, never footers or labels', () => {
    // Four words of the letter, padded with a footer and a page label: not an excerpt.
    const four = `${words.slice(10, 14).join(' ')}\n${footer}\n1 / 2\n`;
    expect(matchCopy(four, canon).ok).toBe(false);
    // Five words are one.
    expect(matchCopy(words.slice(10, 15).join(' '), canon)).toMatchObject({
      ok: true,
      scope: 'excerpt',
    });
  });
  it('a changed word is named alone: line-end hyphens, footers and folds stay tolerated around it', () => {
    // A copy as pdftotext gives it: broken words, a footer mid-way, typographic quotes...
    const copy = swap('carefully considered', 'carefully consid-\nered')
      .replace('I cannot submit', `I cannot\n${footer}\n1 / 2\n\fsubmit`)
      .replace('Dear Mr. Secretary-General,', 'Dear Mr. Secretary-\nGeneral,')
      .replace('apartheid', 'democratic');
    const m = matchCopy(copy, canon);
    expect(m.ok).toBe(false);
    const changes = diffWords(tolerantWords(m.copyWords, canon), words);
    expect(changes.map((c) => [c.copy, c.original])).toEqual([[['democratic'], ['apartheid']]]);
  });
  it('counts columns in code points as it reads a long line (the hostile corpus times it)', () => {
    const line = Array.from({ length: 30_000 }, (_, i) => `w${i % 97}é𝒜`).join(' ');
    const m = matchCopy(line, canon);
    expect(m.ok).toBe(false);
    const last = m.copyWords.at(-1)!;
    expect(last.column).toBe([...line].length - [...last.text].length + 1);
  });
});
