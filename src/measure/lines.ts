import { spawnSync } from 'node:child_process';

// The lines of a typeset letter as a reader sees them, measured from outside the typesetter: the
// text `pdftotext -raw` extracts, walked against the canonical text word by word. It tells each
// line's length and where words were broken, for docprov's PDF and pdflatex's alike.

/** What was measured on the prose paragraphs (blocks of the canonical text without line breaks). */
export interface LineFigures {
  pages: number;
  /** Lines of prose paragraphs, and how many of them are not a paragraph's last line. */
  lines: number;
  fullLines: number;
  /** Mean characters (spaces and a final hyphen included) of the lines that are not a last line. */
  charsPerLine: number;
  /** Line ends inside a word by hyphenation, and at a hyphen the word has itself. */
  hyphenated: number;
  explicit: number;
  /** The longest run of successive lines ending in a hyphen (either kind). */
  maxConsecutive: number;
  /** The fewest letters before or after a hyphenation break (Infinity: none). */
  shortestFragment: number;
  /** Words broken between a paragraph's last two lines, and between two pages. */
  lastLineBreaks: number;
  pageBreaks: number;
  /** Every hyphenation break, as "before-after". */
  breaks: string[];
}

interface Line {
  page: number;
  paragraph: number;
  chars: number;
  end?: 'hyphenated' | 'explicit';
}

const FOLD: Record<string, string> = {
  '\u201c': '"',
  '\u201d': '"',
  '\u2018': "'",
  '\u2019': "'",
  '\ufb00': 'ff',
  '\ufb01': 'fi',
  '\ufb02': 'fl',
  '\ufb03': 'ffi',
  '\ufb04': 'ffl',
};
const fold = (s: string) =>
  s.normalize('NFC').replace(/[\u2018-\u201d\ufb00-\ufb04]/gu, (c) => FOLD[c] ?? c);
const letters = (s: string) => (s.match(/\p{L}/gu) ?? []).length;
/** docprov's running footer; pdftotext -raw may leave it at the end of a text line. */
const FOOTER = /\s*\S+ \u00b7 SHA-256 [0-9a-f]{16}(?:\s+\d+ \/ \d+)?\s*$/u;

/** The figures for `pdftotext -raw -enc UTF-8` output of a letter whose canonical text is given. */
export function linesOfText(raw: string, canonical: string): LineFigures {
  const paragraphs = canonical.trim().split(/\n{2,}/u);
  const words: string[] = [];
  const paragraphOf: number[] = [];
  const prose = paragraphs.map((p) => !p.includes('\n'));
  paragraphs.forEach((p, i) =>
    fold(p)
      .split(/\s+/u)
      .filter((w) => w !== '')
      .forEach((w) => {
        words.push(w);
        paragraphOf.push(i);
      }),
  );
  const lines: Line[] = [];
  const breaks: string[] = [];
  let fragments = Infinity;
  let at = 0;
  // The start of a broken word carried to the next line, and how it was broken.
  let carry: { text: string; kind: 'hyphenated' | 'explicit' } | undefined;
  const pages = raw.replace(/\f$/u, '').split('\f');
  pages.forEach((page, p) => {
    for (const rawLine of page.split('\n')) {
      const text = fold(rawLine.replace(FOOTER, '')).trim();
      if (text === '') continue;
      // A page number (pdflatex's) is not the letter's.
      if (/^\d+$/u.test(text) && (at >= words.length || words[at] !== text)) continue;
      const tokens = text.split(/\s+/u);
      const line: Line = { page: p, paragraph: paragraphOf[at]!, chars: [...text].length };
      tokens.forEach((token, k) => {
        const word = k === 0 && carry ? carry.text + token : token;
        const want = words[at] ?? '';
        if (k === 0 && carry && carry.kind === 'hyphenated') {
          const before = letters(carry.text);
          const after = letters(want) - before;
          breaks.push(`${carry.text}-${want.slice(carry.text.length)}`);
          fragments = Math.min(fragments, before, after);
        }
        carry = undefined;
        if (word === want) {
          at++;
          return;
        }
        if (k === tokens.length - 1 && word.endsWith('-') && word.length > 1) {
          if (want.startsWith(word)) carry = { text: word, kind: 'explicit' };
          else if (want.startsWith(word.slice(0, -1)))
            carry = { text: word.slice(0, -1), kind: 'hyphenated' };
        }
        if (!carry) throw new Error(`line "${text}": "${word}" where the letter has "${want}"`);
        line.end = carry.kind;
      });
      lines.push(line);
    }
  });
  if (at !== words.length)
    throw new Error(`the text ends after ${at} of the letter's ${words.length} words`);
  const body = lines.filter((l) => prose[l.paragraph]);
  const isLast = (l: Line) => {
    const i = lines.indexOf(l);
    return lines[i + 1]?.paragraph !== l.paragraph;
  };
  const multi = new Set(
    body.filter((l, i) => body[i + 1]?.paragraph === l.paragraph).map((l) => l.paragraph),
  );
  const full = body.filter((l) => multi.has(l.paragraph) && !isLast(l));
  let run = 0;
  let maxRun = 0;
  for (const l of lines) {
    run = l.end ? run + 1 : 0;
    maxRun = Math.max(maxRun, run);
  }
  const broken = lines.filter((l) => l.end);
  return {
    pages: pages.length,
    lines: body.length,
    fullLines: full.length,
    charsPerLine: full.reduce((a, l) => a + l.chars, 0) / full.length,
    hyphenated: broken.filter((l) => l.end === 'hyphenated').length,
    explicit: broken.filter((l) => l.end === 'explicit').length,
    maxConsecutive: maxRun,
    shortestFragment: fragments,
    lastLineBreaks: broken.filter((l) => {
      const next = lines[lines.indexOf(l) + 1];
      return next && isLast(next);
    }).length,
    pageBreaks: broken.filter((l) => lines[lines.indexOf(l) + 1]?.page !== l.page).length,
    breaks,
  };
}

/** Measures a PDF file (needs pdftotext from poppler-utils). */
export function measureLines(pdfPath: string, canonical: string): LineFigures {
  const r = spawnSync('pdftotext', ['-raw', '-enc', 'UTF-8', pdfPath, '-'], {
    encoding: 'utf8',
    maxBuffer: 256 << 20,
  });
  if (r.error) throw new Error(`pdftotext could not run (poppler-utils): ${r.error.message}`);
  if (r.status !== 0) throw new Error(`pdftotext failed on ${pdfPath}: ${r.stderr.trim()}`);
  return linesOfText(r.stdout, canonical);
}

/** The figures as one line. */
export function formatLines(f: LineFigures): string {
  return `pages=${f.pages} lines=${f.lines} chars_per_line=${f.charsPerLine.toFixed(1)} hyphenated=${f.hyphenated} explicit=${f.explicit} max_consecutive=${f.maxConsecutive} shortest_fragment=${f.shortestFragment === Infinity ? '-' : f.shortestFragment} last_line_breaks=${f.lastLineBreaks} page_breaks=${f.pageBreaks}`;
}
