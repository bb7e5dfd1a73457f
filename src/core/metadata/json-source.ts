import { DocprovError } from '../errors.js';

// A strict JSON parser that remembers where every value starts, so schema errors can name a
// line and column, and that refuses duplicate keys (two readers could see two different values).

export interface Position {
  line: number;
  column: number;
}

export interface JsonSource {
  value: unknown;
  /** JSON pointer -> where its value starts (and its key, for object members). */
  positions: Map<string, { value: Position; key?: Position }>;
}

const MAX_DEPTH = 64;

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function parseJsonWithPositions(text: string, file?: string): JsonSource {
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const positions: JsonSource['positions'] = new Map();

  const here = (): Position => ({ line, column: i - lineStart + 1 });
  // Says what is wrong ("trailing comma", "duplicate key"), then what was expected and found.
  const fail: (what: string, expected?: boolean) => never = (what, expected = true) => {
    const at = here();
    const message =
      i >= text.length && expected
        ? `malformed JSON: unexpected end of input (${what})`
        : `malformed JSON: ${what}${expected ? `, found "${text[i]}"` : ''}`;
    throw new DocprovError('json-syntax', message, {
      hint: 'fix the JSON syntax at that position',
      problems: [{ code: 'json-syntax', message, location: { ...(file ? { file } : {}), ...at } }],
    });
  };
  const noTrailingComma = (close: '}' | ']'): void => {
    const comma = { i: i - 1, line, lineStart };
    ws();
    if (text[i] !== close) return;
    ({ i, line, lineStart } = comma);
    fail(`trailing comma before "${close}"`, false);
  };
  const ws = (): void => {
    for (;;) {
      const c = text[i];
      if (c === '\n') {
        i++;
        line++;
        lineStart = i;
      } else if (c === ' ' || c === '\t' || c === '\r') i++;
      else return;
    }
  };
  const str = (): string => {
    if (text[i] !== '"') fail('expected a string');
    const start = i;
    i++;
    for (;;) {
      const c = text[i];
      if (c === undefined) fail('unterminated string');
      if (c === '"') break;
      if (c === '\\') {
        i++;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail('bad \\u escape');
          i += 5;
        } else if (text[i] !== undefined && '"\\/bfnrt'.includes(text[i]!)) i++;
        else fail('bad escape');
      } else if (c < ' ') fail('control character in string');
      else i++;
    }
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (pointer: string, depth: number, key?: Position): unknown => {
    if (depth > MAX_DEPTH) fail(`nesting deeper than ${MAX_DEPTH}`);
    ws();
    positions.set(pointer, { value: here(), ...(key ? { key } : {}) });
    const c = text[i];
    if (c === '{') {
      i++;
      const obj: Record<string, unknown> = {};
      ws();
      if (text[i] === '}') {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        const keyAt = here();
        const keyStart = i;
        const k = str();
        if (Object.prototype.hasOwnProperty.call(obj, k)) {
          i = keyStart;
          fail(`duplicate key "${k}"`, false);
        }
        ws();
        if (text[i] !== ':') fail('expected ":"');
        i++;
        obj[k] = value(`${pointer}/${escapePointer(k)}`, depth + 1, keyAt);
        ws();
        if (text[i] === ',') {
          i++;
          noTrailingComma('}');
        } else if (text[i] === '}') {
          i++;
          return obj;
        } else fail('expected "," or "}"');
      }
    }
    if (c === '[') {
      i++;
      const arr: unknown[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value(`${pointer}/${arr.length}`, depth + 1));
        ws();
        if (text[i] === ',') {
          i++;
          noTrailingComma(']');
        } else if (text[i] === ']') {
          i++;
          return arr;
        } else fail('expected "," or "]"');
      }
    }
    if (c === '"') return str();
    const lit = /^(true|false|null|-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?)/.exec(
      text.slice(i, i + 64),
    );
    if (!lit) return fail('expected a value');
    i += lit[0].length;
    return JSON.parse(lit[0]) as unknown;
  };

  const v = value('', 0);
  ws();
  if (i < text.length) fail('unexpected text after the JSON value');
  return { value: v, positions };
}
