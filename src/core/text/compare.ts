import { fold } from './fold.js';

// Text copies against the signed canonical text (docprov-compare/3). A copy verifies when its
// words are the canonical words, in order, allowing only what real extractors do to docprov's
// PDFs, each counted: page footers on lines of their own (this document's id and digest only,
// and only where that page ends: a footer mid-sentence is a change), hyphens at line ends where joining gives the original word, the explicit hyphens the PDF
// breaks lines at (pdftotext joins them), typographic quotes and ligatures, Unicode NFC.

export const COMPARISON_FORM = 'docprov-compare/3';

/** What the signed manifest says of the PDF's layout, so the comparison can tell extractors' ways. */
export interface Layout {
  pages: number;
  /** For each page, how many canonical words it ends after: where its footer may stand. */
  pageEnds: number[];
  /** Explicit hyphens the PDF breaks a line after: canonical word index and hyphen offset. */
  lineEndHyphens: { word: number; at: number }[];
}

export interface Canonical {
  text: string;
  id: string;
  /** The first 16 hex digits of the canonical text's SHA-256, as the footer prints them. */
  digest16: string;
  layout: Layout;
}

export interface Word {
  text: string;
  /** 1-based line and column of the word in the copy. */
  line: number;
  column: number;
  /** The word ends its line. */
  lineEnd: boolean;
  /** A footer line (the document's id and digest, a page label, or both), not a word. */
  footer?: { id: boolean; page?: number };
}

const TOLERATED = {
  footers: ['footer', 'footers'],
  pageLabels: ['page label', 'page labels'],
  lineEndHyphens: ['line-end hyphen', 'line-end hyphens'],
  joinedHyphens: [
    'line-end hyphen joined by the extractor',
    'line-end hyphens joined by the extractor',
  ],
  foldedCharacters: [
    'folded character (quote or ligature)',
    'folded characters (quotes, ligatures)',
  ],
  nfc: ['Unicode normalisation to NFC', 'Unicode normalisations to NFC'],
} as const;

/** What a comparison ignored or folded, counted: the report says each. */
export type Tolerated = Record<keyof typeof TOLERATED, number>;

export interface Match {
  ok: boolean;
  scope?: 'document' | 'excerpt';
  /** 0-based canonical word range [first, last] that the copy matched. */
  first?: number;
  last?: number;
  occurrences?: number;
  words: number;
  tolerated: Tolerated;
}

/** Fewer words than this is too short to say which passage it is. */
export const MIN_EXCERPT = 5;

export const canonicalWords = (text: string): string[] =>
  text.split(/\s+/u).filter((w) => w !== '');

/** Code points in s[from, to): a UTF-16 surrogate pair counts once. */
function codePoints(s: string, from: number, to: number): number {
  let n = 0;
  for (let k = from; k < to; k++) {
    const c = s.charCodeAt(k);
    if (c < 0xdc00 || c > 0xdfff) n++;
  }
  return n;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Splits a copy into words, a footer line becoming one token: whether it may stand where it
 * does is the walk's to judge, against where the pages end.
 */
export function copyWords(copy: string, c: Canonical, tolerated: Tolerated): Word[] {
  const nfc = copy.normalize('NFC');
  if (nfc !== copy) tolerated.nfc++;
  const footer = new RegExp(
    `^(?:(${escape(c.id)} \u00b7 SHA-256 ${c.digest16})\\s*)?(?:(\\d{1,4}) ?/ ?(\\d{1,4}))?$`,
    'u',
  );
  const words: Word[] = [];
  nfc.split(/\r\n|\r|\n/u).forEach((raw, i) => {
    const line = raw.replace(/\f/gu, '');
    const m = footer.exec(line.trim());
    const label = m?.[2] ? Number(m[2]) : undefined;
    // Only this document's footer, on a line of its own, with a label of its page count.
    if (m && (m[1] || m[2]) && (!m[2] || Number(m[3]) === c.layout.pages)) {
      const column = [...line.slice(0, line.length - line.trimStart().length)].length + 1;
      words.push({
        text: line.trim(),
        line: i + 1,
        column,
        lineEnd: true,
        footer: { id: !!m[1], ...(label !== undefined ? { page: label } : {}) },
      });
      return;
    }
    const found = [...line.matchAll(/\S+/gu)];
    // Columns counted as the line is read, not again from its start for every word: a copy of
    // one long line stays linear.
    let column = 1;
    let at = 0;
    found.forEach((w, k) => {
      column += codePoints(line, at, w.index);
      at = w.index;
      words.push({ text: w[0], line: i + 1, column, lineEnd: k === found.length - 1 });
    });
  });
  return words;
}

/** Which footers a walk has let stand: each page's id line and label at most once. */
interface FooterState {
  ids: Set<number>;
  labels: Set<number>;
}

/**
 * Lets a footer stand at canonical position `j` when a page ends there (its own page, for a
 * label), and that page's footer was not seen yet. Commits only when `commit`.
 */
function footerFits(
  f: NonNullable<Word['footer']>,
  j: number,
  layout: Layout,
  st: FooterState,
  t: Tolerated,
  commit: boolean,
): boolean {
  const ends = layout.pageEnds ?? [];
  let page: number | undefined;
  if (f.page !== undefined)
    page = ends[f.page - 1] === j && !st.labels.has(f.page) ? f.page : undefined;
  else page = ends.findIndex((e, k) => e === j && !st.ids.has(k + 1)) + 1 || undefined;
  if (page === undefined || (f.id && st.ids.has(page))) return false;
  if (commit) {
    if (f.id) {
      st.ids.add(page);
      t.footers++;
    }
    if (f.page !== undefined) {
      st.labels.add(page);
      t.pageLabels++;
    }
  }
  return true;
}

const emptyTolerated = (): Tolerated => ({
  footers: 0,
  pageLabels: 0,
  lineEndHyphens: 0,
  joinedHyphens: 0,
  foldedCharacters: 0,
  nfc: 0,
});

/**
 * Walks the copy against the canonical words from `start`; returns how many canonical words it
 * matched and how many copy words it used, stopping at the first difference.
 */
function walk(
  copy: Word[],
  canon: string[],
  start: number,
  joins: Map<number, number>,
  layout: Layout,
  t: Tolerated,
): { matched: number; used: number } {
  let i = 0;
  let j = start;
  const st: FooterState = { ids: new Set(), labels: new Set() };
  const fits = (f: Word, commit: boolean) => footerFits(f.footer!, j, layout, st, t, commit);
  while (i < copy.length) {
    const cw = copy[i]!;
    if (cw.footer) {
      if (!fits(cw, true)) break;
      i++;
      continue;
    }
    if (j >= canon.length) break;
    const w = fold(cw.text);
    const want = canon[j]!;
    if (w.text === want) {
      t.foldedCharacters += w.folded;
      i++;
      j++;
      continue;
    }
    // The word's second half may follow a page's footer: "consid-" [footer] "ered".
    let k = i + 1;
    while (copy[k]?.footer) k++;
    const next = copy[k];
    if (cw.lineEnd && w.text.endsWith('-') && w.text.length > 1 && next) {
      const n = fold(next.text);
      // "consid-" + "ered" is "considered"; "Secretary-" + "General" keeps its hyphen.
      const between = copy.slice(i + 1, k);
      if (
        (w.text.slice(0, -1) + n.text === want || w.text + n.text === want) &&
        between.every((f) => fits(f, false))
      ) {
        between.forEach((f) => fits(f, true));
        t.lineEndHyphens++;
        t.foldedCharacters += w.folded + n.folded;
        i = k + 1;
        j++;
        continue;
      }
    }
    // pdftotext joins a line that ends in an explicit hyphen and drops it: only where the PDF breaks.
    const at = joins.get(j);
    if (at !== undefined && w.text === want.slice(0, at) + want.slice(at + 1)) {
      t.joinedHyphens++;
      t.foldedCharacters += w.folded;
      i++;
      j++;
      continue;
    }
    break;
  }
  return { matched: j - start, used: i };
}

/** Matches a copy against the canonical text: the whole document, or else an excerpt of it. */
export function matchCopy(copy: string, c: Canonical): Match & { copyWords: Word[] } {
  const base = emptyTolerated();
  const words = copyWords(copy, c, base);
  const canon = canonicalWords(c.text);
  const joins = new Map(c.layout.lineEndHyphens.map((h) => [h.word, h.at]));
  const whole = { ...base };
  const w = walk(words, canon, 0, joins, c.layout, whole);
  if (w.used === words.length && w.matched === canon.length)
    return {
      ok: true,
      scope: 'document',
      first: 0,
      last: canon.length - 1,
      words: canon.length,
      tolerated: whole,
      copyWords: words,
    };
  // An excerpt: the copy's words, all of them, somewhere in the text (bounded work: a copy
  // longer than the text cannot be an excerpt of it).
  // Its own words only: footers and page labels say nothing of which passage it is.
  const own = words.filter((x) => !x.footer).length;
  if (own >= MIN_EXCERPT && words.length <= canon.length) {
    let found: { start: number; matched: number; t: Tolerated } | undefined;
    let occurrences = 0;
    const head = fold(words[0]!.text).text;
    for (let s = 0; s < canon.length; s++) {
      if (!canon[s]!.startsWith(head.replace(/-$/u, ''))) continue;
      const t = { ...base };
      const r = walk(words, canon, s, joins, c.layout, t);
      if (r.used === words.length) {
        occurrences++;
        found ??= { start: s, matched: r.matched, t };
      }
    }
    if (found)
      return {
        ok: true,
        scope: 'excerpt',
        first: found.start,
        last: found.start + found.matched - 1,
        occurrences,
        words: canon.length,
        tolerated: found.t,
        copyWords: words,
      };
  }
  // The diff shows words, and a footer only where the walk stopped at it.
  const shown = words.filter((x, k) => !x.footer || k === w.used);
  return { ok: false, words: canon.length, tolerated: whole, copyWords: shown };
}

/** The tolerated things, in words: "2 footers, 14 line-end hyphens". */
export function describeTolerated(t: Tolerated): string {
  const parts = (Object.keys(TOLERATED) as (keyof Tolerated)[])
    .filter((k) => t[k] > 0)
    .map((k) => `${t[k]} ${TOLERATED[k][t[k] === 1 ? 0 : 1]}`);
  return parts.length ? parts.join(', ') : 'nothing';
}

export interface WordChange {
  /** 0-based index of the first differing word in the copy and in the original. */
  copyIndex: number;
  originalIndex: number;
  copy: string[];
  original: string[];
  /** Where the change is in the copy. */
  line?: number;
  column?: number;
}

/**
 * The copy's words as the comparison reads them, for showing differences: footers gone, a word
 * broken at a line's end joined where the joined word is one of the text's, a hyphen an
 * extractor dropped put back where the PDF broke the line. Only real differences are left.
 */
export function tolerantWords(copy: Word[], c: Canonical): Word[] {
  const canon = canonicalWords(c.text);
  const known = new Set(canon);
  const dropped = new Map<string, string>();
  for (const h of c.layout.lineEndHyphens) {
    const want = canon[h.word];
    if (want) dropped.set(want.slice(0, h.at) + want.slice(h.at + 1), want);
  }
  const out: Word[] = [];
  const words = copy.filter((w) => !w.footer);
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const t = fold(w.text).text;
    const next = words[i + 1];
    if (w.lineEnd && t.endsWith('-') && t.length > 1 && next) {
      const n = fold(next.text).text;
      const joined = [t.slice(0, -1) + n, t + n].find((x) => known.has(x));
      if (joined) {
        out.push({ ...w, text: joined });
        i++;
        continue;
      }
    }
    out.push(known.has(t) ? w : { ...w, text: dropped.get(t) ?? w.text });
  }
  return out;
}

/** The differences between two word lists (LCS), as runs of changed words; at most `max`. */
export function diffWords(copy: Word[], original: string[], max = 10): WordChange[] {
  const a = copy.map((w) => fold(w.text).text);
  const b = original;
  // Trim the common head and tail, so the table is only as big as the changed middle.
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  )
    tail++;
  const A = a.slice(head, a.length - tail);
  const B = b.slice(head, b.length - tail);
  const at = (k: number) => (copy[k] ? { line: copy[k]!.line, column: copy[k]!.column } : {});
  if (A.length * B.length > 4_000_000)
    return [
      {
        copyIndex: head,
        originalIndex: head,
        copy: A.slice(0, 20),
        original: B.slice(0, 20),
        ...at(head),
      },
    ];
  const L = Array.from({ length: A.length + 1 }, () => new Uint32Array(B.length + 1));
  for (let i = A.length - 1; i >= 0; i--)
    for (let j = B.length - 1; j >= 0; j--)
      L[i]![j] = A[i] === B[j] ? L[i + 1]![j + 1]! + 1 : Math.max(L[i + 1]![j]!, L[i]![j + 1]!);
  const changes: WordChange[] = [];
  let i = 0;
  let j = 0;
  while ((i < A.length || j < B.length) && changes.length < max) {
    if (i < A.length && j < B.length && A[i] === B[j]) {
      i++;
      j++;
      continue;
    }
    const ci = i;
    const cj = j;
    while ((i < A.length || j < B.length) && !(i < A.length && j < B.length && A[i] === B[j])) {
      if (j >= B.length || (i < A.length && L[i + 1]![j]! >= L[i]![j + 1]!)) i++;
      else j++;
    }
    changes.push({
      copyIndex: head + ci,
      originalIndex: head + cj,
      copy: A.slice(ci, i),
      original: B.slice(cj, j),
      ...at(head + ci),
    });
  }
  return changes;
}

/** The layout facts a manifest records, from the PDF's printed lines and the canonical text. */
export function layoutOf(
  lines: readonly { page: number; words: readonly string[] }[],
  text: string,
): Layout {
  const canon = canonicalWords(text);
  const lineEndHyphens: Layout['lineEndHyphens'] = [];
  const pageEnds: number[] = [];
  let j = 0;
  let carry = '';
  for (const [k, line] of lines.entries()) {
    // A page's end: the words finished before the first line of the next page.
    while (pageEnds.length < line.page) pageEnds.push(j);
    line.words.forEach((printed, n) => {
      const word = carry + fold(printed).text;
      carry = '';
      const last = n === line.words.length - 1 && k < lines.length - 1;
      const want = canon[j];
      if (last && word.endsWith('-') && want !== undefined && word !== want) {
        // Broken across lines: an explicit hyphen stays in the word, an inserted one does not.
        const explicit = want.startsWith(word);
        if (explicit) lineEndHyphens.push({ word: j, at: word.length - 1 });
        carry = explicit ? word : word.slice(0, -1);
        return;
      }
      j++;
    });
  }
  const pages = Math.max(1, ...lines.map((l) => l.page + 1));
  while (pageEnds.length < pages) pageEnds.push(j);
  return { pages, pageEnds, lineEndHyphens };
}
