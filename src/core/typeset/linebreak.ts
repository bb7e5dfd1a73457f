// Knuth-Plass total-fit line breaking ("Breaking Paragraphs into Lines", 1981): choose the breaks
// that minimise the demerits of the whole paragraph, not line by line.

export type Item =
  | { type: 'box'; width: number; index: number; stretch: number; shrink: number }
  | { type: 'glue'; width: number; stretch: number; shrink: number }
  | { type: 'penalty'; width: number; penalty: number; flagged: boolean };

export const INFINITY = 10_000;

export interface BreakOptions {
  /** Largest acceptable badness (TeX's \tolerance). */
  tolerance: number;
  linePenalty: number;
  flaggedDemerits: number;
  fitnessDemerits: number;
  finalHyphenDemerits: number;
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
  demerits: number;
  ratio: number;
  previous: Node | undefined;
}

export interface Break {
  /** Index of the item where the line ends. */
  position: number;
  /** Adjustment ratio: > 0 stretches glue, < 0 shrinks it. */
  ratio: number;
}

function fitnessClass(r: number): number {
  if (r < -0.5) return 0;
  if (r <= 0.5) return 1;
  if (r <= 1) return 2;
  return 3;
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
      demerits: 0,
      ratio: 0,
      previous: undefined,
    },
  ];
  let sumW = 0;
  let sumY = 0;
  let sumZ = 0;

  // Totals as they stand after a break at b: the glue and penalties after it are discarded.
  const afterBreak = (b: number) => {
    let w = sumW;
    let y = sumY;
    let z = sumZ;
    for (let i = b; i < items.length; i++) {
      const it = items[i]!;
      if (it.type === 'box') break;
      if (it.type === 'glue') {
        w += it.width;
        y += it.stretch;
        z += it.shrink;
      } else if (it.penalty === -INFINITY && i > b) break;
    }
    return { w, y, z };
  };

  const tryBreak = (b: number, item: Item) => {
    const penalty = item.type === 'penalty' ? item.penalty : 0;
    const flagged = item.type === 'penalty' && item.flagged;
    const extra = item.type === 'penalty' ? item.width : 0;
    const best: (Node | undefined)[] = [undefined, undefined, undefined, undefined];
    const next: Node[] = [];
    for (const a of active) {
      const width = sumW - a.width + extra;
      let ratio: number;
      if (width < lineWidth) {
        const y = sumY - a.stretch;
        ratio = y > 0 ? (lineWidth - width) / y : INFINITY;
      } else if (width > lineWidth) {
        const z = sumZ - a.shrink;
        ratio = z > 0 ? (lineWidth - width) / z : -INFINITY;
      } else ratio = 0;
      const keep = ratio >= -1 && penalty !== -INFINITY;
      if (keep) next.push(a);
      if (ratio < -1) continue;
      const badness = ratio >= INFINITY ? INFINITY : 100 * Math.abs(ratio) ** 3;
      if (badness > opts.tolerance) continue;
      let demerits = (opts.linePenalty + badness) ** 2;
      if (penalty >= 0) demerits += penalty ** 2;
      else if (penalty > -INFINITY) demerits -= penalty ** 2;
      const prev = items[a.position];
      const prevFlagged = a.position > 0 && prev?.type === 'penalty' && prev.flagged;
      if (flagged && prevFlagged) demerits += opts.flaggedDemerits;
      if (penalty === -INFINITY && prevFlagged) demerits += opts.finalHyphenDemerits;
      const fitness = fitnessClass(ratio);
      if (Math.abs(fitness - a.fitness) > 1) demerits += opts.fitnessDemerits;
      demerits += a.demerits;
      const seen = best[fitness];
      if (!seen || demerits < seen.demerits) {
        const t = afterBreak(b);
        best[fitness] = {
          position: b,
          line: a.line + 1,
          fitness,
          width: t.w,
          stretch: t.y,
          shrink: t.z,
          demerits,
          ratio,
          previous: a,
        };
      }
    }
    for (const n of best) if (n) next.push(n);
    active = next;
  };

  items.forEach((item, b) => {
    if (item.type === 'box') {
      sumW += item.width;
      sumY += item.stretch;
      sumZ += item.shrink;
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
