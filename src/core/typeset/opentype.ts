import type { FkFont } from './fontkit.js';

// Fast pair kerning (GPOS 'kern', PairPos formats 1 and 2, through Extension lookups) and standard
// ligatures (GSUB 'liga', LigatureSubst) read from fontkit's parsed tables. fontkit's own layout
// engine costs ~50 ms for this letter; these lookups, memoised per pair, cost well under 1 ms.
// Contextual kerning (chained lookups) is not applied: it moves a handful of rare pairs only.

/* eslint-disable @typescript-eslint/no-explicit-any -- fontkit's parsed tables are untyped */
type Table = any;

const list = (x: Table): Table[] =>
  x == null ? [] : typeof x.toArray === 'function' ? x.toArray() : x;
const at = (x: Table, i: number): Table => (typeof x.get === 'function' ? x.get(i) : x[i]);

function coverageIndex(cov: Table, glyph: number): number {
  if (cov.version === 1) {
    const glyphs: number[] = list(cov.glyphs);
    let lo = 0;
    let hi = glyphs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const g = glyphs[mid]!;
      if (g === glyph) return mid;
      if (g < glyph) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
  for (const r of list(cov.rangeRecords))
    if (glyph >= r.start && glyph <= r.end) return r.startCoverageIndex + glyph - r.start;
  return -1;
}

function classOf(def: Table, glyph: number): number {
  if (!def) return 0;
  if (def.version === 1) {
    const i = glyph - def.startGlyph;
    const values: number[] = list(def.classValueArray);
    return i >= 0 && i < values.length ? values[i]! : 0;
  }
  for (const r of list(def.classRangeRecord))
    if (glyph >= r.start && glyph <= r.end) return r.class;
  return 0;
}

function featureLookups(
  table: Table,
  tag: string,
  wantType: number,
  extensionType: number,
): Table[] {
  if (!table) return [];
  const lookups = list(table.lookupList);
  const indexes = new Set<number>();
  for (const f of list(table.featureList))
    if (f.tag === tag) for (const i of list(f.feature.lookupListIndexes)) indexes.add(i);
  const subtables: Table[] = [];
  for (const i of [...indexes].sort((a, b) => a - b)) {
    const lookup = lookups[i];
    for (const st of list(lookup.subTables)) {
      const type = lookup.lookupType === extensionType ? st.lookupType : lookup.lookupType;
      const body = st.extension ?? st;
      if (type === wantType) subtables.push(body);
    }
  }
  return subtables;
}

export class OpenTypeTables {
  private readonly kernTables: Table[];
  private readonly ligaTables: Table[];
  private readonly kerns = new Map<number, number>();

  constructor(font: FkFont) {
    const f = font as Table;
    this.kernTables = featureLookups(f.GPOS, 'kern', 2, 9);
    this.ligaTables = featureLookups(f.GSUB, 'liga', 4, 7);
  }

  /** Kerning between two glyphs, font units. */
  kern(first: number, second: number): number {
    const key = first * 65536 + second;
    let v = this.kerns.get(key);
    if (v === undefined) {
      v = this.lookupKern(first, second);
      this.kerns.set(key, v);
    }
    return v;
  }

  private lookupKern(first: number, second: number): number {
    for (const st of this.kernTables) {
      const ci = coverageIndex(st.coverage, first);
      if (ci < 0) continue;
      if (st.version === 1) {
        for (const pair of list(at(st.pairSets, ci)))
          if (pair.secondGlyph === second) return pair.value1?.xAdvance ?? 0;
        continue;
      }
      const c1 = classOf(st.classDef1, first);
      const c2 = classOf(st.classDef2, second);
      return at(at(st.classRecords, c1), c2)?.value1?.xAdvance ?? 0;
    }
    return 0;
  }

  /** Applies standard ligatures left to right, longest match first. */
  ligate(glyphs: number[]): { glyph: number; length: number }[] {
    const out: { glyph: number; length: number }[] = [];
    for (let i = 0; i < glyphs.length;) {
      let best: { glyph: number; length: number } | undefined;
      for (const st of this.ligaTables) {
        const ci = coverageIndex(st.coverage, glyphs[i]!);
        if (ci < 0) continue;
        for (const lig of list(at(st.ligatureSets, ci))) {
          const comps: number[] = list(lig.components);
          if (best && comps.length + 1 <= best.length) continue;
          if (comps.every((c, k) => glyphs[i + 1 + k] === c))
            best = { glyph: lig.glyph, length: comps.length + 1 };
        }
        if (best) break;
      }
      out.push(best ?? { glyph: glyphs[i]!, length: 1 });
      i += best?.length ?? 1;
    }
    return out;
  }
}
