import { spawnSync } from 'node:child_process';
import { descendants, numberAttribute, parseXml, type XmlElement } from './xml.js';

// The evenness of justified word spacing, measured from outside the typesetter: the word boxes
// pdftotext -bbox-layout reports. The same method and figures as the project's reference
// measure (spacing.py): full-measure lines of multi-line blocks, not a block's last line.

export interface Spacing {
  /** Lines measured: full-measure lines (>= 97% of the block's widest) with at least four words. */
  lines: number;
  /** Mean interword gap, in units of the line's median word-box height. */
  meanGapEm: number;
  /** The 95th percentile gap over the mean gap. */
  p95OverMean: number;
  /** The largest gap over the mean gap. */
  maxOverMean: number;
  /** Coefficient of variation of the per-line mean gaps: lower is more even. */
  lineCv: number;
}

/** A sum with Neumaier's compensation: the statistics agree with Python's exact ones. */
function sum(xs: readonly number[]): number {
  let s = 0;
  let c = 0;
  for (const x of xs) {
    const t = s + x;
    c += Math.abs(s) >= Math.abs(x) ? s - t + x : x - t + s;
    s = t;
  }
  return s + c;
}
const mean = (xs: readonly number[]) => sum(xs) / xs.length;
const pstdev = (xs: readonly number[]) => {
  const m = mean(xs);
  return Math.sqrt(sum(xs.map((x) => (x - m) ** 2)) / xs.length);
};
function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const i = s.length >> 1;
  return s.length % 2 ? s[i]! : (s[i - 1]! + s[i]!) / 2;
}

const width = (el: XmlElement) => numberAttribute(el, 'xMax') - numberAttribute(el, 'xMin');

/** The figures for the output of `pdftotext -bbox-layout`. */
export function spacingOfBbox(xhtml: string): Spacing {
  const gaps: number[] = [];
  const lineMeans: number[] = [];
  for (const page of descendants(parseXml(xhtml), 'page'))
    for (const block of descendants(page, 'block')) {
      const lines = descendants(block, 'line');
      if (lines.length < 2) continue;
      const widths = lines.map(width);
      const full = Math.max(...widths);
      // A block's last line is set ragged; narrower lines are not justified.
      lines.slice(0, -1).forEach((line, k) => {
        if (widths[k]! < 0.97 * full) return;
        const words = descendants(line, 'word');
        if (words.length < 4) return;
        const h = median(words.map((w) => numberAttribute(w, 'yMax') - numberAttribute(w, 'yMin')));
        const gs = words
          .slice(1)
          .map((w, i) => (numberAttribute(w, 'xMin') - numberAttribute(words[i]!, 'xMax')) / h);
        gaps.push(...gs);
        lineMeans.push(mean(gs));
      });
    }
  if (gaps.length === 0) throw new Error('no full-measure justified lines to measure');
  gaps.sort((a, b) => a - b);
  const m = mean(gaps);
  return {
    lines: lineMeans.length,
    meanGapEm: m,
    p95OverMean: gaps[Math.trunc(0.95 * (gaps.length - 1))]! / m,
    maxOverMean: gaps[gaps.length - 1]! / m,
    lineCv: pstdev(lineMeans) / mean(lineMeans),
  };
}

/** Measures a PDF file (needs pdftotext from poppler-utils). */
export function measureSpacing(pdfPath: string): Spacing {
  const r = spawnSync('pdftotext', ['-bbox-layout', pdfPath, '-'], {
    encoding: 'utf8',
    maxBuffer: 256 << 20,
  });
  if (r.error) throw new Error(`pdftotext could not run (poppler-utils): ${r.error.message}`);
  if (r.status !== 0) throw new Error(`pdftotext failed on ${pdfPath}: ${r.stderr.trim()}`);
  return spacingOfBbox(r.stdout);
}

/** Python's fixed-point format: an exact tie rounds to even (toFixed rounds it up). */
function fixed(x: number, digits: number): string {
  const scaled = x * 2 ** (digits + 1); // exact: a tie is an odd multiple of 2^-(digits+1)
  if (!Number.isInteger(scaled) || scaled % 2 === 0) return x.toFixed(digits);
  const k = Math.floor(x * 10 ** digits);
  return ((k % 2 === 0 ? k : k + 1) / 10 ** digits).toFixed(digits);
}

/** The figures as one line, in spacing.py's format. */
export function formatSpacing(s: Spacing): string {
  return `lines=${s.lines} mean_gap_em=${fixed(s.meanGapEm, 3)} p95_over_mean=${fixed(s.p95OverMean, 2)} max_over_mean=${fixed(s.maxOverMean, 2)} line_cv=${fixed(s.lineCv, 3)}`;
}
