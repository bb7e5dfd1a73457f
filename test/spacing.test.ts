import { describe, expect, it } from 'vitest';
import { formatSpacing, measureSpacing, spacingOfBbox } from '../src/measure/spacing.js';
import { parseXml } from '../src/measure/xml.js';
import { ROOT } from './helpers/paths.js';

const FIXTURES = `${ROOT}test/fixtures/spacing`;

// Frozen copies, so that these figures never move with the typesetting: the published letter
// (artifacts/khalaf-2017-03-17/khalaf-2017-03-17.pdf as of commit 30ff6ea, SHA-256 297d3573...)
// and the letter set by pdflatex + microtype (the design notes' reference, SHA-256 82f365b3...).
// Cross-checked by hand against the reference tool, ../shared/tools/spacing.py (not in this
// repository), with poppler 22.12 on 2026-11-28; spacing.py printed, and repr() of its figures:
//   docprov:  lines=44 mean_gap_em=0.173 p95_over_mean=1.13 max_over_mean=1.16 line_cv=0.077
//             44 0.17330461093020516 1.126551486050004 1.1562724280180654 0.07685216886243705
//   pdflatex: lines=39 mean_gap_em=0.382 p95_over_mean=1.17 max_over_mean=2.04 line_cv=0.099
//             39 0.3815115599881781 1.1687432065946206 2.043786529807704 0.09949561081348599
// On 84 more PDFs (texlive-doc) the printed lines were identical and the figures within 1.3e-15.
describe('the spacing measure agrees with spacing.py', () => {
  it.each([
    [
      'khalaf-2017-03-17-docprov.pdf',
      'lines=44 mean_gap_em=0.173 p95_over_mean=1.13 max_over_mean=1.16 line_cv=0.077',
      [0.17330461093020516, 1.126551486050004, 1.1562724280180654, 0.07685216886243705],
    ],
    [
      'khalaf-2017-03-17-pdflatex-microtype.pdf',
      'lines=39 mean_gap_em=0.382 p95_over_mean=1.17 max_over_mean=2.04 line_cv=0.099',
      [0.3815115599881781, 1.1687432065946206, 2.043786529807704, 0.09949561081348599],
    ],
  ])('on %s', (file, printed, figures) => {
    const s = measureSpacing(`${FIXTURES}/${file}`);
    expect(formatSpacing(s)).toBe(printed);
    const ours = [s.meanGapEm, s.p95OverMean, s.maxOverMean, s.lineCv];
    ours.forEach((x, i) => expect(Math.abs(x - figures[i]!) / figures[i]!).toBeLessThan(1e-14));
  });
});

// A block: its lines as [line xMin, xMax, words as [xMin, xMax, height]].
const block = (lines: [number, number, [number, number, number][]][]) =>
  `<block>${lines
    .map(
      ([x0, x1, words]) =>
        `<line xMin="${x0}" yMin="0" xMax="${x1}" yMax="12">${words
          .map(([a, b, h]) => `<word xMin="${a}" yMin="0" xMax="${b}" yMax="${h}">w</word>`)
          .join('')}</line>`,
    )
    .join('')}</block>`;
const words = (gap: number, heights = [10, 10, 10, 10]) =>
  heights.map((h, i): [number, number, number] => [i * (10 + gap), i * (10 + gap) + 10, h]);

describe('which lines it measures', () => {
  it('full-measure lines of four words or more, not the last line of a block, nor one-line blocks', () => {
    const doc = `<!DOCTYPE html><html xmlns="http://www.w3.org/1999/xhtml"><body><doc><page>
      ${block([
        [0, 100, words(2)], // measured: gaps 0.2 em
        [0, 97, words(3.3, [10, 10, 12, 30])], // 97% of the measure; median height 11: 0.3 em
        [0, 96.9, words(9)], // narrower than 97%: not justified
        [0, 100, words(9).slice(0, 3)], // three words
        [0, 100, words(9)], // the block's last line
      ])}
      ${block([[0, 100, words(9)]])}
    </page></doc></body></html>`;
    const s = spacingOfBbox(doc);
    expect(s.lines).toBe(2);
    expect(s.meanGapEm).toBeCloseTo(0.25, 12);
    expect(s.p95OverMean).toBeCloseTo(1.2, 12); // gaps[int(0.95 * 5)] = 0.3
    expect(s.maxOverMean).toBeCloseTo(1.2, 12);
    expect(s.lineCv).toBeCloseTo(0.2, 12); // line means 0.2 and 0.3
  });
  it('formats ties as Python does (round half to even)', () => {
    expect(
      formatSpacing({
        lines: 1,
        meanGapEm: 0.0625,
        p95OverMean: 1.125,
        maxOverMean: 2.375,
        lineCv: 0.1875,
      }),
    ).toBe('lines=1 mean_gap_em=0.062 p95_over_mean=1.12 max_over_mean=2.38 line_cv=0.188');
  });
  it('refuses malformed XML and a document with nothing to measure', () => {
    expect(() => parseXml('<doc><page></doc>')).toThrow(/closes <page>/);
    expect(() => parseXml('<doc>')).toThrow(/<doc> is not closed/);
    expect(() => spacingOfBbox(`<doc><page>${block([[0, 100, words(2)]])}</page></doc>`)).toThrow(
      /no full-measure justified lines/,
    );
  });
});
