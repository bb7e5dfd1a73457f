// Knuth-Plass total-fit line breaking ("Breaking Paragraphs into Lines", 1981): choose the breaks
// that minimise the demerits of the whole paragraph, not line by line. Two rules a careful
// typesetter keeps are hard here, not demerits: at most `maxHyphens` hyphenated lines in a row,
// and never a hyphen ending a paragraph's last line but one. Margin protrusion (pdfTeX's) lets
// the punctuation that ends or starts a line hang into the margin: the line gains that width.
// A box's own stretch and shrink is font expansion: it takes a line's slack before the glue does
// (glyphs scaled by a few per cent are not seen; word spaces that vary are), and the badness
// counts both, the glue's as TeX does and the expansion's by `expansionBadness`.

export type Item =
  | {
      type: 'box';
      width: number;
      index: number;
      /** Font expansion: how much wider or narrower the box may be set, used before any glue's. */
      stretch: number;
      shrink: number;
      /** How far the box may hang into the left margin at a line's start, and the right at its end. */
      left?: number;
      right?: number;
    }
  | { type: 'glue'; width: number; stretch: number; shrink: number }
  | {
      type: 'penalty';
      width: number;
      penalty: number;
      flagged: boolean;
      /** How far the break's own material (a hyphen) may hang into the right margin. */
      right?: number;
    };

export const INFINITY = 10_000;

export interface BreakOptions {
  /** Largest acceptable badness (TeX's \tolerance). */
  tolerance: number;
  linePenalty: number;
  flaggedDemerits: number;
  fitnessDemerits: number;
  finalHyphenDemerits: number;
  /** Most flagged (hyphen) breaks in a row; more are never chosen. */
  maxHyphens?: number;
  /** A flagged break before the paragraph's last line is never chosen. */
  finalHyphen?: boolean;
  /** Badness of a line whose boxes are fully expanded or condensed (spaces at natural width). */
  expansionBadness?: number;
}

export const DEFAULT_BREAK_OPTIONS: BreakOptions = {
  tolerance: 200,
  linePenalty: 10,
  flaggedDemerits: 3000,
  fitnessDemerits: 10_000,
  finalHyphenDemerits: 5000,
};

interface Node {
  position: number;
  line: number;
  fitness: number;
  width: number;
  stretch: number;
  shrink: number;
  /** Totals of the boxes' own stretch and shrink (font expansion). */
  expand: number;
  condense: number;
  demerits: number;
  ratio: number;
  /** Flagged breaks in a row ending here (0: this break is not flagged). */
  hyphens: number;
  /** Protrusion of the line that starts after this break, into the left margin. */
  left: number;
  previous: Node | undefined;
}

export interface Break {
  /** Index of the item where the line ends. */
  position: number;
  /** The glue's adjustment ratio, after expansion: > 0 stretches glue, < 0 shrinks it. */
  ratio: number;
}

function fitnessClass(r: number): number {
  if (r < -0.5) return 0;
  if (r <= 0.5) return 1;
  if (r <= 1) return 2;
  return 3;
}

/** The protrusion of the first box at or after `from`: where a line starting there begins. */
function startProtrusion(items: readonly Item[], from: number): number {
  for (let i = from; i < items.length; i++) {
    const it = items[i]!;
    if (it.type === 'box') return it.left ?? 0;
  }
  return 0;
}

/** Returns the chosen breaks, or undefined when no set of lines meets the tolerance. */
export function breakLines(
  items: readonly Item[],
  lineWidth: number,
  opts: BreakOptions = DEFAULT_BREAK_OPTIONS,
): Break[] | undefined {
  let active: Node[] = [
    {
      position: 0,
      line: 0,
      fitness: 1,
      width: 0,
      stretch: 0,
      shrink: 0,
      expand: 0,
      condense: 0,
      demerits: 0,
      ratio: 0,
      hyphens: 0,
      left: startProtrusion(items, 0),
      previous: undefined,
    },
  ];
  const maxHyphens = opts.maxHyphens ?? Infinity;
  let sumW = 0;
  let sumY = 0;
  let sumZ = 0;
  let sumE = 0;
  let sumC = 0;

  // Totals as they stand after a break at b: the glue and penalties after it are discarded.
  const afterBreak = (b: number) => {
    let w = sumW;
    let y = sumY;
    let z = sumZ;
    const e = sumE;
    const c = sumC;
    for (let i = b; i < items.length; i++) {
      const it = items[i]!;
      if (it.type === 'box') break;
      if (it.type === 'glue') {
        w += it.width;
        y += it.stretch;
        z += it.shrink;
      } else if (it.penalty === -INFINITY && i > b) break;
    }
    return { w, y, z, e, c };
  };

  const tryBreak = (b: number, item: Item) => {
    const penalty = item.type === 'penalty' ? item.penalty : 0;
    const flagged = item.type === 'penalty' && item.flagged;
    const extra = item.type === 'penalty' ? item.width : 0;
    const prevBox = items[b - 1];
    const right =
      item.type === 'penalty' && item.flagged
        ? (item.right ?? 0)
        : prevBox?.type === 'box'
          ? (prevBox.right ?? 0)
          : 0;
    // The best node for each fitness class and count of flagged breaks in a row.
    const best = new Map<number, Node>();
    const next: Node[] = [];
    for (const a of active) {
      const slack = lineWidth - (sumW - a.width + extra - a.left - right);
      // The boxes' expansion takes the slack first (up to its limit), the glue the rest.
      const give = slack > 0 ? sumE - a.expand : sumC - a.condense;
      const used = Math.max(-give, Math.min(give, slack));
      const rest = slack - used;
      const glue = rest > 0 ? sumY - a.stretch : sumZ - a.shrink;
      const ratio = rest === 0 ? 0 : glue > 0 ? rest / glue : rest > 0 ? INFINITY : -INFINITY;
      const expansion = give > 0 ? used / give : 0;
      const keep = ratio >= -1 && penalty !== -INFINITY;
      if (keep) next.push(a);
      if (ratio < -1) continue;
      const badness =
        ratio >= INFINITY
          ? INFINITY
          : 100 * Math.abs(ratio) ** 3 + (opts.expansionBadness ?? 0) * Math.abs(expansion) ** 3;
      if (badness > opts.tolerance) continue;
      let demerits = (opts.linePenalty + badness) ** 2;
      if (penalty >= 0) demerits += penalty ** 2;
      else if (penalty > -INFINITY) demerits -= penalty ** 2;
      const prevFlagged = a.hyphens > 0;
      const hyphens = flagged ? a.hyphens + 1 : 0;
      if (hyphens > maxHyphens) continue;
      if (penalty === -INFINITY && prevFlagged && opts.finalHyphen === false) continue;
      if (flagged && prevFlagged) demerits += opts.flaggedDemerits;
      if (penalty === -INFINITY && prevFlagged) demerits += opts.finalHyphenDemerits;
      const fitness = fitnessClass(ratio);
      if (Math.abs(fitness - a.fitness) > 1) demerits += opts.fitnessDemerits;
      demerits += a.demerits;
      const key = fitness * 64 + Math.min(hyphens, 63);
      const seen = best.get(key);
      if (!seen || demerits < seen.demerits) {
        const t = afterBreak(b);
        best.set(key, {
          position: b,
          line: a.line + 1,
          fitness,
          width: t.w,
          stretch: t.y,
          shrink: t.z,
          expand: t.e,
          condense: t.c,
          demerits,
          ratio,
          hyphens,
          left: startProtrusion(items, b + 1),
          previous: a,
        });
      }
    }
    for (const n of [...best.keys()].sort((x, y) => x - y)) next.push(best.get(n)!);
    active = next;
  };

  items.forEach((item, b) => {
    if (item.type === 'box') {
      sumW += item.width;
      sumE += item.stretch;
      sumC += item.shrink;
    } else if (item.type === 'glue') {
      if (b > 0 && items[b - 1]!.type === 'box') tryBreak(b, item);
      sumW += item.width;
      sumY += item.stretch;
      sumZ += item.shrink;
    } else if (item.penalty !== INFINITY) tryBreak(b, item);
  });

  const last = items.length - 1;
  let bestEnd: Node | undefined;
  for (const a of active)
    if (a.position === last && (!bestEnd || a.demerits < bestEnd.demerits)) bestEnd = a;
  if (!bestEnd) return undefined;
  const breaks: Break[] = [];
  for (let n: Node | undefined = bestEnd; n && n.previous; n = n.previous)
    breaks.unshift({ position: n.position, ratio: n.ratio });
  return breaks;
}
