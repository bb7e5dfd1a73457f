import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openFont } from '../src/core/typeset/harfbuzz.js';
import { setParagraph } from '../src/core/typeset/paragraph.js';
import { Shaper } from '../src/core/typeset/shaper.js';
import { MEASURE, STYLE } from '../src/core/typeset/style.js';
import { typographic } from '../src/core/typeset/typographic.js';
import { typesetReference } from '../src/measure/latex.js';
import { formatLines, measureLines, type LineFigures } from '../src/measure/lines.js';
import { formatSpacing, measureSpacing, type Spacing } from '../src/measure/spacing.js';
import { bodyFont } from '../src/node/fonts.js';
import { harfbuzzWasm } from '../src/node/harfbuzz.js';
import { judge } from './helpers/judges.js';
import { buildLetter } from './helpers/letter-build.js';

// The letter's typography, measured from outside on the PDF (pdftotext), against the same letter
// set by pdflatex + microtype on the same measure, size and leading (src/measure/latex.ts).

let dir: string;
let pdf: string;
let canonical: string;
const ours = {} as { lines: LineFigures; spacing: Spacing };
const latex = {} as { lines: LineFigures; spacing: Spacing };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'docprov-typography-'));
  const built = await buildLetter();
  pdf = join(dir, 'letter.pdf');
  writeFileSync(pdf, built.files.get('khalaf-2017-03-17.pdf')!);
  canonical = new TextDecoder().decode(built.files.get('khalaf-2017-03-17.txt')!);
  ours.lines = measureLines(pdf, canonical);
  ours.spacing = measureSpacing(pdf);
  const reference = typesetReference(canonical, dir);
  latex.lines = measureLines(reference, canonical);
  latex.spacing = measureSpacing(reference);
  // The figures the report quotes, on every run.
  console.log(`docprov:  ${formatLines(ours.lines)}\n          ${formatSpacing(ours.spacing)}`);
  console.log(`pdflatex: ${formatLines(latex.lines)}\n          ${formatSpacing(latex.spacing)}`);
}, 60_000);

describe('the measure', () => {
  it('60-75 characters a line on average, on at most two pages', () => {
    expect(ours.lines.fullLines).toBeGreaterThan(40);
    expect(ours.lines.charsPerLine).toBeGreaterThanOrEqual(60);
    expect(ours.lines.charsPerLine).toBeLessThanOrEqual(75);
    expect(ours.lines.pages).toBeLessThanOrEqual(2);
    expect(Number(judge('pdfinfo', [pdf]).stdout.match(/^Pages:\s+(\d+)/m)![1])).toBe(2);
  });
});

describe('hyphenation', () => {
  it('breaks no more lines than pdflatex + microtype on the same measure and size', () => {
    expect(ours.lines.hyphenated).toBeLessThanOrEqual(latex.lines.hyphenated);
    expect(ours.lines.hyphenated + ours.lines.explicit).toBeLessThanOrEqual(
      latex.lines.hyphenated + latex.lines.explicit,
    );
  });

  it('no short fragment, no more than two in a row, none before a last line or across a page', () => {
    expect(ours.lines.shortestFragment).toBeGreaterThanOrEqual(3);
    expect(ours.lines.maxConsecutive).toBeLessThanOrEqual(2);
    expect(ours.lines.lastLineBreaks).toBe(0);
    expect(ours.lines.pageBreaks).toBe(0);
  });

  it('keeps those rules where it must hyphenate: each paragraph set on a narrow measure', async () => {
    const shaper = new Shaper(await openFont(harfbuzzWasm(), bodyFont()), {
      script: 'Latn',
      direction: 'ltr',
      language: 'en',
    });
    const paragraphs = canonical.split('\n\n').filter((p) => p.length > 200);
    let broken = 0;
    for (const p of paragraphs) {
      const lines = setParagraph(typographic(p), shaper, STYLE.size, 190);
      let run = 0;
      lines.forEach((l, i) => {
        const last = l.words.at(-1)!;
        // A line ending inside a word: its piece and the next line's first piece.
        const cut = /\p{L}-$/u.test(last) && !p.includes(`${last}${lines[i + 1]?.words[0]}`);
        run = last.endsWith('-') ? run + 1 : 0;
        expect(run, last).toBeLessThanOrEqual(2);
        if (!cut) return;
        broken++;
        expect(i, `${last} before the last line`).toBeLessThan(lines.length - 2);
        const before = last.slice(0, -1).match(/\p{L}+$/u)![0];
        const after = lines[i + 1]!.words[0]!.match(/^\p{L}+/u)![0];
        expect(before.length, last).toBeGreaterThanOrEqual(3);
        expect(after.length, lines[i + 1]!.words[0]).toBeGreaterThanOrEqual(3);
      });
    }
    expect(broken).toBeGreaterThan(5); // the narrow measure does make it hyphenate
  });
});

describe('spacing', () => {
  it('word spaces at least as even as pdflatex + microtype (line_cv from pdftotext’s boxes)', () => {
    expect(ours.spacing.lines).toBeGreaterThan(40);
    expect(ours.spacing.lineCv).toBeLessThanOrEqual(latex.spacing.lineCv);
  });

  it('font expansion: glyphs scaled by at most 3.5 per cent, and used', () => {
    const qdf = join(dir, 'qdf.pdf');
    judge('qpdf', ['--qdf', '--object-streams=disable', pdf, qdf]);
    const body = judge('cat', [qdf]).stdout;
    const scales = [...body.matchAll(/ (\d+(?:\.\d+)?) Tz /g)].map((m) => Number(m[1]));
    expect(scales.length).toBeGreaterThan(60);
    for (const s of scales) expect(Math.abs(s - 100)).toBeLessThanOrEqual(3.5 + 1e-9);
    expect(scales.filter((s) => s > 100).length).toBeGreaterThan(5);
    expect(scales.filter((s) => s < 100).length).toBeGreaterThan(5);
  });

  it('margin protrusion: a line ending in a stop or comma hangs into the right margin', () => {
    const xhtml = judge('pdftotext', ['-bbox-layout', pdf, '-']).stdout;
    const edge = STYLE.page.width - STYLE.margin.right;
    const lines = [
      ...xhtml.matchAll(
        /<line xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>([\s\S]*?)<\/line>/g,
      ),
    ]
      .map((m) => ({
        x0: Number(m[1]),
        x1: Number(m[2]),
        last: [...m[3]!.matchAll(/>([^<]*)<\/word>/g)].at(-1)![1]!,
      }))
      .filter((l) => l.x0 > STYLE.margin.left - 5 && l.x1 > edge - 1);
    const hanging = lines.filter((l) => /[.,]$/.test(l.last));
    const flush = lines.filter((l) => /\p{L}$/u.test(l.last));
    expect(hanging.length).toBeGreaterThanOrEqual(3);
    expect(flush.length).toBeGreaterThan(20);
    // A comma or stop is about 3 pt wide at this size; 50-70% of it hangs.
    for (const l of hanging) expect(l.x1 - edge, l.last).toBeGreaterThan(1);
    for (const l of hanging) expect(l.x1 - edge, l.last).toBeLessThan(3);
    for (const l of flush) expect(Math.abs(l.x1 - edge), l.last).toBeLessThan(0.05);
    expect(MEASURE).toBeCloseTo(edge - STYLE.margin.left, 9);
  });
});
