import { describe, expect, it } from 'vitest';
import { breakPoints } from '../src/core/typeset/hyphenate.js';
import { paginate, type Block } from '../src/core/typeset/layout.js';
import { breakLines, INFINITY, type Item } from '../src/core/typeset/linebreak.js';
import { justify, EXPANSION, SPACE_SHRINK, SPACE_STRETCH } from '../src/core/typeset/justify.js';
import { typographic } from '../src/core/typeset/typographic.js';
import { num } from '../src/core/typeset/content.js';

describe('hyphenation', () => {
  it('breaks English words by the TeX patterns', () => {
    expect(breakPoints('considered').pieces).toEqual(['con', 'sid', 'ered']);
  });
  it('keeps two letters before and three after a break', () => {
    // The patterns alone would also break a|ban|don, hyphenat|ed and internation|al.
    expect(breakPoints('abandon').pieces).toEqual(['aban', 'don']);
    expect(breakPoints('hyphenated').pieces).toEqual(['hy', 'phen', 'ated']);
    expect(breakPoints('international').pieces).toEqual(['in', 'ter', 'na', 'tional']);
    for (const w of ['organization', 'unacceptable', 'consequences']) {
      const p = breakPoints(w).pieces;
      expect(p.length, w).toBeGreaterThan(1); // the word does break
      expect(p.join('')).toBe(w);
      expect(p[0]!.length).toBeGreaterThanOrEqual(2);
      expect(p[p.length - 1]!.length).toBeGreaterThanOrEqual(3);
    }
  });
  it('never inside acronyms, nor in a word with a digit between its letters', () => {
    // The patterns alone would break ES|CWA, UN|ESCO and A4|con|sid|er|a|tion.
    expect(breakPoints('ESCWA').pieces).toEqual(['ESCWA']);
    expect(breakPoints('UNESCO').pieces).toEqual(['UNESCO']);
    expect(breakPoints('A4consideration').pieces).toEqual(['A4consideration']);
    expect(breakPoints('21st').pieces).toEqual(['21st']);
  });
  it('a hyphenated compound breaks only after its own hyphens', () => {
    expect(breakPoints('Under-Secretary-General')).toEqual({
      pieces: ['Under-', 'Secretary-', 'General'],
      explicit: true,
    });
  });
  it('leaves punctuation on the outer pieces', () => {
    expect(breakPoints('“consideration,”').pieces).toEqual(['“con', 'sid', 'er', 'a', 'tion,”']);
  });
});

describe('Knuth-Plass line breaking', () => {
  const para = (words: number[], space = 3): Item[] => {
    const items: Item[] = [];
    words.forEach((w, i) => {
      items.push({ type: 'box', width: w, index: i, stretch: 0, shrink: 0 });
      if (i < words.length - 1)
        items.push({ type: 'glue', width: space, stretch: space / 2, shrink: space / 3 });
    });
    items.push(
      { type: 'glue', width: 0, stretch: 1e6, shrink: 0 },
      { type: 'penalty', width: 0, penalty: -INFINITY, flagged: false },
    );
    return items;
  };
  const opts = {
    tolerance: 1000,
    linePenalty: 10,
    flaggedDemerits: 3000,
    fitnessDemerits: 0,
    finalHyphenDemerits: 5000,
  };
  const widths = (seed: number, n: number) =>
    Array.from({ length: n }, (_, i) => 8 + ((i * 7919 + seed * 104729) % 23));
  // Demerits over all lines but the last, for breaks given as item positions.
  const cost = (items: Item[], ends: number[], measure: number) => {
    let start = 0;
    let total = 0;
    ends.slice(0, -1).forEach((end) => {
      let w = 0,
        y = 0,
        z = 0;
      for (let k = start; k < end; k++) {
        const it = items[k]!;
        if (it.type === 'box') w += it.width;
        else if (it.type === 'glue' && k > start) {
          w += it.width;
          y += it.stretch;
          z += it.shrink;
        }
      }
      const r =
        w < measure
          ? y > 0
            ? (measure - w) / y
            : Infinity
          : z > 0
            ? (measure - w) / z
            : -Infinity;
      // The demerits Knuth-Plass minimises (line penalty 10, no penalties at glue).
      total += (10 + Math.min(100 * Math.abs(r) ** 3, INFINITY)) ** 2;
      start = end + 1;
    });
    return total;
  };
  const greedy = (items: Item[], measure: number): number[] => {
    const ends: number[] = [];
    let w = 0,
      z = 0,
      lastGlue = -1,
      lineStart = 0;
    items.forEach((it, k) => {
      if (it.type === 'box') {
        w += it.width;
        if (w - z > measure && lastGlue > lineStart) {
          ends.push(lastGlue);
          lineStart = lastGlue + 1;
          w = 0;
          z = 0;
          for (let j = lineStart; j <= k; j++) {
            const x = items[j]!;
            if (x.type === 'box') w += x.width;
            else if (x.type === 'glue') {
              w += x.width;
              z += x.shrink;
            }
          }
        }
      } else if (it.type === 'glue') {
        lastGlue = k;
        w += it.width;
        z += it.shrink;
      }
    });
    ends.push(items.length - 1);
    return ends;
  };

  it('fills each line within the tolerance and ends at the forced break', () => {
    const items = para(widths(1, 80));
    const breaks = breakLines(items, 250, opts)!;
    expect(breaks.length).toBeGreaterThan(4);
    expect(breaks.at(-1)!.position).toBe(items.length - 1);
    for (const b of breaks.slice(0, -1))
      expect(Math.abs(b.ratio)).toBeLessThanOrEqual((1000 / 100) ** (1 / 3) + 1e-9);
  });
  it('total fit is never worse than first fit', () => {
    for (let seed = 0; seed < 40; seed++) {
      const items = para(widths(seed, 50));
      const breaks = breakLines(items, 120, {
        ...opts,
        tolerance: 1e9,
        finalHyphenDemerits: 0,
        flaggedDemerits: 0,
      });
      expect(breaks).toBeDefined();
      const kp = cost(
        items,
        breaks!.map((b) => b.position),
        120,
      );
      expect(kp).toBeLessThanOrEqual(cost(items, greedy(items, 120), 120) + 1e-6);
    }
  });
  it('says when nothing fits rather than overflowing', () => {
    expect(breakLines(para([500]), 100)).toBeUndefined();
  });
});

describe('justification with expansion', () => {
  it('fills the measure, sharing the slack between word spaces and glyph scaling of at most 2%', () => {
    expect(EXPANSION).toBe(0.02);
    const seen = new Set<string>();
    // 12 spaces of 2.5 pt in a 430 pt measure: stretched and shrunk, within and beyond their give.
    for (const wordsWidth of [300, 380, 395, 400, 410, 440]) {
      const j = justify(wordsWidth, 12, 430, 2.5);
      expect(wordsWidth * j.scale + 12 * j.gap).toBeCloseTo(430, 6);
      expect(Math.abs(j.scale - 1)).toBeLessThanOrEqual(0.02 + 1e-12);
      const ratio = (j.scale - 1) / 0.02;
      if (Math.abs(ratio) > 1 - 1e-12) seen.add(ratio > 0 ? 'stretch, clamped' : 'shrink, clamped');
      else {
        // Within their give, spaces move by the same ratio of their stretch (1/2) or shrink (1/3).
        const give = ratio >= 0 ? SPACE_STRETCH : SPACE_SHRINK;
        expect((j.gap - 2.5) / (2.5 * give)).toBeCloseTo(ratio, 9);
        seen.add(ratio > 0 ? 'stretch' : ratio < 0 ? 'shrink' : 'exact');
      }
    }
    expect([...seen].sort()).toEqual([
      'exact',
      'shrink',
      'shrink, clamped',
      'stretch',
      'stretch, clamped',
    ]);
  });
});

describe('pagination', () => {
  const lines = (n: number) =>
    Array.from({ length: n }, (_, i) => ({ words: [`l${i}`], align: 'justify' as const }));
  const block = (n: number, extra: Partial<Block> = {}): Block => ({
    lines: lines(n),
    spaceBefore: 0.5,
    keepTogether: false,
    keepWithNext: false,
    ...extra,
  });
  it('never leaves one line of a paragraph alone at the bottom or top of a page', () => {
    for (let first = 30; first <= 50; first++) {
      const { lines: placed } = paginate([block(first), block(6), block(5)]);
      // Count each block's lines on each page it touches.
      let i = 0;
      for (const n of [first, 6, 5]) {
        const pages = placed.slice(i, i + n).map((l) => l.page);
        i += n;
        for (const p of new Set(pages))
          expect(pages.filter((x) => x === p).length).toBeGreaterThanOrEqual(Math.min(2, n));
      }
    }
  });
  it('keeps a keep-together block on one page', () => {
    for (let first = 40; first <= 52; first++) {
      const { lines: placed } = paginate([block(first), block(6, { keepTogether: true })]);
      const pages = new Set(placed.slice(first).map((l) => l.page));
      expect(pages.size).toBe(1);
    }
  });
});

describe('small pieces', () => {
  it('typographic quotes for print only', () => {
    expect(typographic('the "report" and ESCWA\'s')).toBe(
      'the \u201creport\u201d and ESCWA\u2019s',
    );
  });
  it('PDF numbers: three decimals at most, no -0', () => {
    expect([num(1.23456), num(-0.0001), num(10), num(-2.5)]).toEqual(['1.235', '0', '10', '-2.5']);
  });
});
