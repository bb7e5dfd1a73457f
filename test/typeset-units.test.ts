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
  it('keeps three letters before and three after a break', () => {
    // The patterns alone would also break a|ban|don, hy|phen|at|ed, in|ter|na|tion|al and as|sure.
    expect(breakPoints('abandon').pieces).toEqual(['aban', 'don']);
    expect(breakPoints('hyphenated').pieces).toEqual(['hyphen', 'ated']);
    expect(breakPoints('international').pieces).toEqual(['inter', 'na', 'tional']);
    expect(breakPoints('assure').pieces).toEqual(['assure']);
    for (const w of ['organization', 'unacceptable', 'consequences']) {
      const p = breakPoints(w).pieces;
      expect(p.length, w).toBeGreaterThan(1); // the word does break
      expect(p.join('')).toBe(w);
      expect(p[0]!.length).toBeGreaterThanOrEqual(3);
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

  // Words of two pieces each, with a hyphen break between them that is cheap to take.
  const hyphenated = (seed: number, n: number): Item[] => {
    const items: Item[] = [];
    widths(seed, n).forEach((w, i) => {
      items.push({ type: 'box', width: w / 2, index: 2 * i, stretch: 0, shrink: 0 });
      items.push({ type: 'penalty', width: 2, penalty: 0, flagged: true });
      items.push({ type: 'box', width: w / 2, index: 2 * i + 1, stretch: 0, shrink: 0 });
      if (i < n - 1) items.push({ type: 'glue', width: 3, stretch: 0.3, shrink: 0.2 });
    });
    items.push(
      { type: 'glue', width: 0, stretch: 1e6, shrink: 0 },
      { type: 'penalty', width: 0, penalty: -INFINITY, flagged: false },
    );
    return items;
  };
  const free = { ...opts, tolerance: 1e9, flaggedDemerits: 0, finalHyphenDemerits: 0 };
  const flaggedRuns = (items: Item[], breaks: { position: number }[]) => {
    let run = 0;
    let most = 0;
    for (const b of breaks) {
      const it = items[b.position]!;
      run = it.type === 'penalty' && it.flagged ? run + 1 : 0;
      most = Math.max(most, run);
    }
    return most;
  };
  const penultimateFlagged = (items: Item[], breaks: { position: number }[]) => {
    const it = items[breaks.at(-2)!.position]!;
    return it.type === 'penalty' && it.flagged;
  };

  it('never more than maxHyphens hyphenated lines in a row, and never before the last line', () => {
    let runsWithout = 0;
    let finalWithout = 0;
    for (let seed = 0; seed < 30; seed++) {
      const items = hyphenated(seed, 40);
      const loose = breakLines(items, 97, free)!;
      if (flaggedRuns(items, loose) > 2) runsWithout++;
      if (penultimateFlagged(items, loose)) finalWithout++;
      const ruled = breakLines(items, 97, { ...free, maxHyphens: 2, finalHyphen: false })!;
      expect(flaggedRuns(items, ruled), `seed ${seed}`).toBeLessThanOrEqual(2);
      expect(penultimateFlagged(items, ruled), `seed ${seed}`).toBe(false);
    }
    // Without the rules, the cheapest breaks do break them: the rules are what holds.
    expect(runsWithout).toBeGreaterThan(0);
    expect(finalWithout).toBeGreaterThan(0);
  });

  it('punctuation that hangs into the margin (protrusion) lets a line hold what fills it', () => {
    // Two words of 50 and a space of 3: 103 on a 101 measure, with no shrink.
    const line = (right: number): Item[] => [
      { type: 'box', width: 50, index: 0, stretch: 0, shrink: 0 },
      { type: 'glue', width: 3, stretch: 0, shrink: 0 },
      { type: 'box', width: 50, index: 1, stretch: 0, shrink: 0, right },
      { type: 'glue', width: 3, stretch: 0, shrink: 0 },
      { type: 'box', width: 50, index: 2, stretch: 0, shrink: 0 },
      { type: 'glue', width: 0, stretch: 1e6, shrink: 0 },
      { type: 'penalty', width: 0, penalty: -INFINITY, flagged: false },
    ];
    expect(breakLines(line(0), 101, opts)).toBeUndefined();
    expect(breakLines(line(2), 101, opts)![0]).toEqual({ position: 3, ratio: 0 });
  });

  it('font expansion takes the slack before the word spaces do', () => {
    // 100 of boxes that may grow 3 in all, in a measure 2 wider: the glue need not stretch.
    const items: Item[] = [
      { type: 'box', width: 50, index: 0, stretch: 1.5, shrink: 1.5 },
      { type: 'glue', width: 0, stretch: 1, shrink: 1 },
      { type: 'box', width: 50, index: 1, stretch: 1.5, shrink: 1.5 },
      { type: 'glue', width: 0, stretch: 1, shrink: 0 },
      { type: 'box', width: 50, index: 2, stretch: 0, shrink: 0 },
      { type: 'glue', width: 0, stretch: 1e6, shrink: 0 },
      { type: 'penalty', width: 0, penalty: -INFINITY, flagged: false },
    ];
    expect(breakLines(items, 102, opts)![0]).toEqual({ position: 3, ratio: 0 });
    // 5 wider: the boxes give their 3, the glue the other 2 (a ratio of 2 on its stretch of 1).
    expect(breakLines(items, 105, opts)![0]).toEqual({ position: 3, ratio: 2 });
  });
});

describe('justification with expansion', () => {
  it('fills the measure with glyph scaling first (at most EXPANSION), then with word spaces', () => {
    expect(EXPANSION).toBe(0.035);
    const seen = new Set<string>();
    // 12 spaces of 2.5 pt in a 430 pt measure: 400 pt of words give 14 pt each way.
    for (const wordsWidth of [300, 380, 395, 400, 410, 440]) {
      const j = justify(wordsWidth, 12, 430, 2.5);
      expect(wordsWidth * j.scale + 12 * j.gap).toBeCloseTo(430, 6);
      expect(Math.abs(j.scale - 1)).toBeLessThanOrEqual(EXPANSION + 1e-12);
      const slack = 430 - wordsWidth - 12 * 2.5;
      if (Math.abs(slack) <= wordsWidth * EXPANSION) {
        // Within the glyphs' give, the word spaces keep their natural width.
        expect(j.gap).toBeCloseTo(2.5, 9);
        seen.add(slack > 0 ? 'expanded' : slack < 0 ? 'condensed' : 'exact');
      } else {
        expect(Math.abs(j.scale - 1)).toBeCloseTo(EXPANSION, 12);
        seen.add(slack > 0 ? 'expanded, spaces stretched' : 'condensed, spaces shrunk');
      }
    }
    expect([...seen].sort()).toEqual([
      'condensed',
      'condensed, spaces shrunk',
      'exact',
      'expanded',
      'expanded, spaces stretched',
    ]);
    // The breaker's glue is the spaces' (stretch 1/2, shrink 1/3 of a space), as TeX's fonts have.
    expect([SPACE_STRETCH, SPACE_SHRINK]).toEqual([1 / 2, 1 / 3]);
  });
});

describe('pagination', () => {
  const lines = (n: number) =>
    Array.from({ length: n }, (_, i) => ({ words: [`l${i}`], align: 'justify' as const }));
  const block = (n: number, extra: Partial<Block> = {}): Block => ({
    role: 'P',
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
  it('never ends a page in a broken word', () => {
    for (let first = 30; first <= 50; first++) {
      // Every line but each fourth ends in a hyphen.
      const broken: Block = {
        ...block(first + 20),
        lines: lines(first + 20).map((l, i) => ({ ...l, words: [i % 4 ? `w${i}-` : `w${i}`] })),
      };
      const { lines: placed } = paginate([block(first), broken]);
      placed.forEach((l, i) => {
        const next = placed[i + 1];
        if (next && next.page !== l.page)
          expect(l.words.at(-1), `first ${first}`).not.toMatch(/-$/);
      });
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
