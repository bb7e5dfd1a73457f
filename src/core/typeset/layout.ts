import type { ParagraphLine } from './paragraph.js';
import { MEASURE, STYLE } from './style.js';

// Pagination: blocks of lines onto pages, with no orphan or widow lines and the blocks that
// belong together kept on one page.

export type Align = 'left' | 'right' | 'justify';

export interface LayoutLine {
  words: string[];
  align: Align;
  /** Protrusion into the left and right margins, points (0 when absent). */
  left?: number;
  right?: number;
  /** The line ends in a hyphen that hyphenation added: not the text's, an artifact when tagged. */
  hyphen?: boolean;
}

export interface Block {
  /** The block's structure type (tagged PDF); `lineRole`: each line is an element of its own. */
  role: string;
  lineRole?: string;
  lines: LayoutLine[];
  /** Space above, in leadings; dropped at the top of a page. */
  spaceBefore: number;
  /** The lines of the block never split across pages. */
  keepTogether: boolean;
  /** The block stays on the page where the next block starts. */
  keepWithNext: boolean;
}

export interface PlacedLine extends LayoutLine {
  /** Which block, and which of its lines, this is. */
  block: number;
  line: number;
  page: number;
  x: number;
  y: number;
  width: number;
}

const MIN_LINES = 2;

export function paragraphBlock(lines: ParagraphLine[], spaceBefore: number): Block {
  return {
    role: 'P',
    lines: lines.map((l) => ({
      words: l.words,
      align: l.justify ? 'justify' : 'left',
      left: l.left,
      right: l.right,
      hyphen: l.hyphen,
    })),
    spaceBefore,
    keepTogether: lines.length < 2 * MIN_LINES,
    keepWithNext: false,
  };
}

/** Places blocks on pages; returns the lines with page, position and width. */
export function paginate(blocks: Block[]): { lines: PlacedLine[]; pages: number } {
  const { page, margin, leading, size } = STYLE;
  const top = page.height - margin.top - size;
  const bottom = margin.bottom;
  const placed: PlacedLine[] = [];
  let pageNo = 0;
  let y = top;
  let atTop = true;

  const room = (space: number) =>
    Math.floor((y - (atTop ? 0 : space * leading) - bottom) / leading) + 1;
  const newPage = () => {
    pageNo++;
    y = top;
    atTop = true;
  };
  const place = (line: LayoutLine, block: number, index: number, extra = 0) => {
    if (!atTop) y -= leading + extra * leading;
    placed.push({ ...line, block, line: index, page: pageNo, x: margin.left, y, width: MEASURE });
    atTop = false;
  };
  // Lines a block can put on this page, honouring its constraints (0 = move it to the next page).
  const fits = (b: Block): number => {
    const r = room(b.spaceBefore);
    const n = b.lines.length;
    if (n <= r) return n;
    if (b.keepTogether || b.keepWithNext || r < MIN_LINES) return 0;
    let k = Math.min(r, n - MIN_LINES);
    // A page never ends in a broken word (TeX's \brokenpenalty, made a rule): break earlier.
    while (k >= MIN_LINES && b.lines[k - 1]!.words.at(-1)!.endsWith('-')) k--;
    return k >= MIN_LINES ? k : 0;
  };

  blocks.forEach((b, bi) => {
    let k = fits(b);
    const next = blocks[bi + 1];
    if (k === b.lines.length && b.keepWithNext && next && !atTop) {
      // Would the next block start here too? Try it on a copy of the cursor.
      const saved = y;
      y -= (b.spaceBefore + b.lines.length) * leading;
      const nextFits = Math.min(fits(next), next.lines.length) > 0;
      y = saved;
      if (!nextFits) k = 0;
    }
    if (k === 0 && !atTop) {
      newPage();
      k = fits(b) || b.lines.length;
    }
    b.lines.forEach((line, i) => {
      if (i === k && k < b.lines.length) newPage();
      place(line, bi, i, i === 0 ? b.spaceBefore : 0);
    });
  });
  return { lines: placed, pages: pageNo + 1 };
}
