import { DocprovError, type Problem } from '../errors.js';
import { parseWrittenDate } from './date.js';
import type { Letter, Located, Person } from './types.js';

interface Block {
  lines: string[];
  line: number;
}

const HONORIFICS = /^(Mr\.|Mrs\.|Ms\.|Mx\.|Dr\.|Prof\.|H\.E\.|Sir|Dame)\s+/;
const KNOWN_CLOSES =
  /^(respectfully|sincerely|yours (sincerely|faithfully|truly|respectfully)|(with )?(best|kind|warm) regards|regards|cordially)[,.]?$/i;

function blocks(text: string): Block[] {
  const out: Block[] = [];
  let current: Block | undefined;
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') current = undefined;
    else if (current) current.lines.push(line);
    else out.push((current = { lines: [line], line: i + 1 }));
  });
  return out;
}

function fail(code: string, message: string, line?: number, hint?: string): never {
  const problem: Problem = { code, message, ...(hint ? { hint } : {}) };
  if (line) problem.location = { line, column: 1 };
  throw new DocprovError(code, message, { problems: [problem], ...(hint ? { hint } : {}) });
}

function person(block: Block): Person {
  const [first, ...rest] = block.lines;
  const m = HONORIFICS.exec(first!);
  const name = m ? first!.slice(m[0].length).trim() : first!.trim();
  return { ...(m ? { honorific: m[1]! } : {}), name, lines: rest.map((l) => l.trim()) };
}

function isClose(block: Block): boolean {
  if (block.lines.length !== 1) return false;
  const text = block.lines[0]!.trim();
  return KNOWN_CLOSES.test(text) || (text.endsWith(',') && text.split(/\s+/).length <= 4);
}

const SHAPE_HINT =
  'a letter is: dateline ("Place, 17 March 2017"), salutation, body paragraphs, a complimentary close, the signature block, then the addressee block, separated by blank lines';

/** Parses canonical text into the parts of a letter, or says which part is missing. */
export function parseLetter(text: string): Letter {
  const bs = blocks(text);
  if (bs.length === 0) fail('letter-empty', 'the letter is empty', undefined, SHAPE_HINT);

  const first = bs[0]!;
  const dm = /^(.+?),\s+(.+)$/.exec(first.lines[0]!);
  if (first.lines.length !== 1 || !dm)
    fail(
      'missing-dateline',
      `missing dateline: expected "Place, date" but found "${first.lines[0]}"`,
      first.line,
      SHAPE_HINT,
    );
  const date = parseWrittenDate(dm[2]!);
  if (!date)
    fail(
      'bad-date',
      `the dateline's date "${dm[2]}" is not a calendar date`,
      first.line,
      'write the date as "17 March 2017"',
    );

  const sal = bs[1];
  if (!sal || sal.lines.length !== 1 || !/^(Dear\b.*|.*[,:])$/.test(sal.lines[0]!))
    fail(
      'missing-salutation',
      'missing salutation: expected a line such as "Dear Mr. Secretary-General," after the dateline',
      sal?.line ?? first.line,
      SHAPE_HINT,
    );

  const closeIndex = bs.findIndex((b, i) => i >= 2 && isClose(b));
  const bodyEnd = closeIndex === -1 ? bs.length : closeIndex;
  if (bodyEnd <= 2)
    fail(
      'missing-body',
      'the letter has no body paragraphs after the salutation',
      sal.line,
      SHAPE_HINT,
    );
  if (closeIndex === -1)
    fail(
      'missing-close',
      'missing complimentary close: expected a line such as "Respectfully," after the body',
      bs[bs.length - 1]!.line,
      SHAPE_HINT,
    );
  const body: Located<string>[] = [];
  for (const b of bs.slice(2, bodyEnd)) {
    if (b.lines.length !== 1)
      fail(
        'body-paragraph-lines',
        `a body paragraph spans ${b.lines.length} lines; a paragraph is one line`,
        b.line,
        'join the paragraph into one line',
      );
    body.push({ value: b.lines[0]!, line: b.line });
  }
  const close = bs[closeIndex]!;
  const sig = bs[closeIndex + 1];
  if (!sig)
    fail(
      'missing-signature',
      'missing signature block after the complimentary close',
      close.line,
      SHAPE_HINT,
    );
  const addr = bs[closeIndex + 2];
  if (!addr)
    fail(
      'missing-addressee',
      'missing addressee block after the signature block',
      sig.line,
      SHAPE_HINT,
    );
  const extra = bs[closeIndex + 3];
  if (extra)
    fail('unexpected-block', 'unexpected text after the addressee block', extra.line, SHAPE_HINT);

  return {
    dateline: { value: { text: first.lines[0]!, place: dm[1]!.trim(), date }, line: first.line },
    salutation: { value: sal.lines[0]!, line: sal.line },
    body,
    close: { value: close.lines[0]!, line: close.line },
    signature: { value: person(sig), line: sig.line },
    addressee: { value: person(addr), line: addr.line },
  };
}
