import { DocprovError, type Problem } from '../errors.js';
import { findForbidden } from './forbidden.js';
import { invisibleTreatment } from './invisible.js';
import { findMixedScripts } from './scripts.js';
import { decodeUtf8Strict } from './utf8.js';

/** The version of the rules below; it is recorded in every manifest and changes with any rule. */
export const NORMALISATION_RULES = 'docprov-text/2';

export type RuleId =
  | 'bom-removed'
  | 'crlf-to-lf'
  | 'cr-to-lf'
  | 'unicode-nfc'
  | 'trailing-whitespace'
  | 'whitespace-only-line'
  | 'blank-lines-collapsed'
  | 'leading-blank-lines'
  | 'trailing-blank-lines'
  | 'final-newline'
  | 'soft-hyphen-removed'
  | 'line-separator-to-lf'
  | 'paragraph-separator-to-lf';

export interface Change {
  rule: RuleId;
  count: number;
  first: { line: number; column: number };
}

export interface NormaliseResult {
  rules: typeof NORMALISATION_RULES;
  text: string;
  changes: Change[];
  warnings: Problem[];
  /** The source line (1-based) of each line of the canonical text, for messages about it. */
  sourceLines: number[];
}

const WS = '[ \\t\\u00A0\\u1680\\u2000-\\u200A\\u202F\\u205F\\u3000]';
const TRAILING_WS = new RegExp(`${WS}+$`, 'u');
const ONLY_WS = new RegExp(`^${WS}+$`, 'u');

class ChangeLog {
  private readonly byRule = new Map<RuleId, Change>();
  add(rule: RuleId, line: number, column: number, count = 1): void {
    const seen = this.byRule.get(rule);
    if (seen) seen.count += count;
    else this.byRule.set(rule, { rule, count, first: { line, column } });
  }
  list(): Change[] {
    return [...this.byRule.values()];
  }
}

function splitLines(text: string, log: ChangeLog): string[] {
  const lines: string[] = [];
  const re = /\r\n|\r|\n/g;
  let start = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    lines.push(text.slice(start, m.index));
    if (m[0] !== '\n') {
      const line = lines.length;
      log.add(m[0] === '\r\n' ? 'crlf-to-lf' : 'cr-to-lf', line, [...lines[line - 1]!].length + 1);
    }
    start = m.index + m[0].length;
  }
  lines.push(text.slice(start));
  return lines;
}

function firstDifference(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let i = 0;
  while (i < x.length && x[i] === y[i]) i++;
  return i + 1;
}

interface Line {
  text: string;
  /** 1-based line of the source it comes from. */
  source: number;
}

/** Applies the table's conversions: soft hyphens go, U+2028 and U+2029 become line breaks. */
function convertInvisibles(line: string, source: number, log: ChangeLog): Line[] {
  if (!/[\u00AD\u2028\u2029]/.test(line)) return [{ text: line, source }];
  const out: Line[] = [];
  let current = '';
  let column = 0;
  for (const ch of line) {
    column++;
    const t = invisibleTreatment(ch.codePointAt(0)!);
    if (t?.action === 'remove') log.add(t.rule, source, column);
    else if (t?.action === 'break') {
      log.add(t.rule, source, column);
      out.push({ text: current, source });
      if (t.rule === 'paragraph-separator-to-lf') out.push({ text: '', source });
      current = '';
    } else current += ch;
  }
  out.push({ text: current, source });
  return out;
}

/**
 * Normalises already-decoded text (see `normalise` for bytes). Throws on forbidden characters.
 * `file` names the input in the locations of problems.
 */
export function normaliseText(input: string, file?: string): NormaliseResult {
  const log = new ChangeLog();
  let text = input;
  if (text.startsWith('\uFEFF')) {
    text = text.slice(1);
    log.add('bom-removed', 1, 1);
  }
  const raw = splitLines(text, log);
  // After a final line break (or in empty input) the split leaves a phantom '' that is no line.
  const endsWithLf = raw.length > 1 && raw[raw.length - 1] === '';
  if (raw[raw.length - 1] === '') raw.pop();
  const forbidden = findForbidden(raw, file);
  if (forbidden.length > 0) {
    const n = forbidden.length;
    throw new DocprovError(
      'forbidden-character',
      `${file ?? 'the text'} contains ${n === 1 ? 'a forbidden character' : `${n} forbidden characters`}`,
      {
        hint: 'remove the characters named above; they can hide or reorder what a reader sees',
        problems: forbidden,
      },
    );
  }
  const cleaned = raw
    .flatMap((line, i) => convertInvisibles(line, i + 1, log))
    .map(({ text: line, source }) => {
      let out = line.normalize('NFC');
      if (out !== line) log.add('unicode-nfc', source, firstDifference(line, out));
      if (ONLY_WS.test(out)) {
        log.add('whitespace-only-line', source, 1);
        return { text: '', source };
      }
      const trimmed = out.replace(TRAILING_WS, '');
      if (trimmed !== out) log.add('trailing-whitespace', source, [...trimmed].length + 1);
      out = trimmed;
      return { text: out, source };
    });

  // Blank-line structure: no leading or trailing blank lines, no runs of blank lines.
  let first = 0;
  while (first < cleaned.length && cleaned[first]!.text === '') first++;
  let last = cleaned.length - 1;
  while (last >= first && cleaned[last]!.text === '') last--;
  if (first > 0) log.add('leading-blank-lines', 1, 1, first);
  const trailingBlanks = last >= first ? cleaned.length - 1 - last : 0;
  if (trailingBlanks > 0)
    log.add('trailing-blank-lines', cleaned[last + 1]!.source, 1, trailingBlanks);
  const kept: Line[] = [];
  for (let i = first; i <= last; i++) {
    const line = cleaned[i]!;
    if (line.text === '' && kept[kept.length - 1]?.text === '') {
      log.add('blank-lines-collapsed', line.source, 1);
      continue;
    }
    kept.push(line);
  }
  if (!endsWithLf && kept.length > 0 && trailingBlanks === 0)
    log.add('final-newline', raw.length, [...raw[raw.length - 1]!].length + 1);
  const lines = kept.map((l) => l.text);
  const body = lines.join('\n');
  const result = body === '' ? '' : body + '\n';
  return {
    rules: NORMALISATION_RULES,
    text: result,
    changes: log.list(),
    warnings: findMixedScripts(
      lines,
      kept.map((l) => l.source),
      file,
    ),
    sourceLines: kept.map((l) => l.source),
  };
}

/** Decodes strict UTF-8 and normalises: the canonical text and a report of every change made. */
export function normalise(bytes: Uint8Array, file?: string): NormaliseResult {
  return normaliseText(decodeUtf8Strict(bytes, file), file);
}
