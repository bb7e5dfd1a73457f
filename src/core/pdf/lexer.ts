// A small, strict PDF object parser over bytes, for the verifier. Input is hostile: every loop
// is bounded by the input's length, nesting is bounded, and anything unexpected is an error.

export type PdfValue =
  | { kind: 'number'; value: number; start: number; end: number }
  | { kind: 'name'; value: string; start: number; end: number }
  | { kind: 'string'; bytes: Uint8Array; hex: boolean; start: number; end: number }
  | { kind: 'bool'; value: boolean; start: number; end: number }
  | { kind: 'null'; start: number; end: number }
  | { kind: 'ref'; num: number; gen: number; start: number; end: number }
  | { kind: 'array'; items: PdfValue[]; start: number; end: number }
  | {
      kind: 'dict';
      entries: Map<string, PdfValue>;
      start: number;
      end: number;
      duplicateKeys: string[];
    };

export class PdfSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} at byte ${offset}`);
  }
}

const MAX_DEPTH = 32;
/** Longest keyword or number accepted (ISO 32000 limits names to 127 bytes; numbers are shorter). */
export const MAX_TOKEN = 127;
const WS = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);
const DELIM = new Set([0x28, 0x29, 0x3c, 0x3e, 0x5b, 0x5d, 0x7b, 0x7d, 0x2f, 0x25]);

export const isWhite = (b: number | undefined) => b !== undefined && WS.has(b);

/** Hex digit values by byte, SPACE for whitespace, -1 for anything else (one lookup a byte). */
const SPACE = 16;
const HEX = (() => {
  const t = new Int8Array(256).fill(-1);
  for (let i = 0; i < 10; i++) t[0x30 + i] = i;
  for (let i = 0; i < 6; i++) t[0x41 + i] = t[0x61 + i] = 10 + i;
  for (const w of WS) t[w] = SPACE;
  return t;
})();
const isRegular = (b: number | undefined) => b !== undefined && !WS.has(b) && !DELIM.has(b);
const isDigit = (b: number | undefined) => b !== undefined && b >= 0x30 && b <= 0x39;

export class PdfLexer {
  pos: number;
  constructor(
    readonly bytes: Uint8Array,
    start = 0,
    /** Offset of bytes[0] in the file, so that reported positions are file offsets. */
    readonly base = 0,
  ) {
    this.pos = start;
  }

  skipWhite(): void {
    const b = this.bytes;
    while (this.pos < b.length) {
      const c = b[this.pos]!;
      if (WS.has(c)) this.pos++;
      else if (c === 0x25) {
        while (this.pos < b.length && b[this.pos] !== 0x0a && b[this.pos] !== 0x0d) this.pos++;
      } else return;
    }
  }

  private fail(msg: string): never {
    throw new PdfSyntaxError(msg, this.base + this.pos);
  }

  /**
   * The next regular token as text (a keyword or number), without consuming it. Looks at most
   * MAX_TOKEN + 1 bytes, so scanning stays linear however long a token is; a longer token comes
   * back longer than MAX_TOKEN, which every caller refuses.
   */
  peekWord(): string {
    this.skipWhite();
    const b = this.bytes;
    const stop = Math.min(b.length, this.pos + MAX_TOKEN + 1);
    let e = this.pos;
    while (e < stop && isRegular(b[e])) e++;
    return String.fromCharCode(...b.subarray(this.pos, e));
  }

  expectWord(word: string): void {
    if (this.peekWord() !== word) this.fail(`expected "${word}"`);
    this.pos += word.length;
  }

  value(depth = 0): PdfValue {
    if (depth > MAX_DEPTH) this.fail(`objects nested deeper than ${MAX_DEPTH}`);
    this.skipWhite();
    const b = this.bytes;
    const start = this.pos;
    const at = (e: number) => this.base + e;
    const c = b[this.pos];
    if (c === undefined) this.fail('unexpected end of data');
    if (c === 0x2f) return this.name();
    if (c === 0x28) return this.literalString();
    if (c === 0x3c && b[this.pos + 1] === 0x3c) {
      this.pos += 2;
      const entries = new Map<string, PdfValue>();
      const duplicateKeys: string[] = [];
      for (;;) {
        this.skipWhite();
        if (b[this.pos] === 0x3e && b[this.pos + 1] === 0x3e) {
          this.pos += 2;
          return { kind: 'dict', entries, start: at(start), end: at(this.pos), duplicateKeys };
        }
        if (b[this.pos] !== 0x2f) this.fail('expected a name as dictionary key');
        const key = this.name().value;
        const v = this.value(depth + 1);
        if (entries.has(key)) duplicateKeys.push(key);
        entries.set(key, v);
      }
    }
    if (c === 0x3c) return this.hexString();
    if (c === 0x5b) {
      this.pos++;
      const items: PdfValue[] = [];
      for (;;) {
        this.skipWhite();
        if (b[this.pos] === 0x5d) {
          this.pos++;
          return { kind: 'array', items, start: at(start), end: at(this.pos) };
        }
        items.push(this.value(depth + 1));
      }
    }
    const word = this.peekWord();
    if (word.length > MAX_TOKEN) this.fail(`a token longer than ${MAX_TOKEN} bytes`);
    if (word === 'true' || word === 'false') {
      this.pos += word.length;
      return { kind: 'bool', value: word === 'true', start: at(start), end: at(this.pos) };
    }
    if (word === 'null') {
      this.pos += 4;
      return { kind: 'null', start: at(start), end: at(this.pos) };
    }
    if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(word)) {
      this.pos += word.length;
      // An integer followed by "G R" is a reference.
      if (/^\d+$/.test(word)) {
        const save = this.pos;
        this.skipWhite();
        const gen = this.peekWord();
        if (/^\d+$/.test(gen)) {
          this.pos += gen.length;
          this.skipWhite();
          if (this.bytes[this.pos] === 0x52 && !isRegular(this.bytes[this.pos + 1])) {
            this.pos++;
            return {
              kind: 'ref',
              num: Number(word),
              gen: Number(gen),
              start: at(start),
              end: at(this.pos),
            };
          }
        }
        this.pos = save;
      }
      return { kind: 'number', value: Number(word), start: at(start), end: at(this.pos) };
    }
    return this.fail(`unexpected token "${word.slice(0, 16)}"`);
  }

  private name(): { kind: 'name'; value: string; start: number; end: number } {
    const start = this.pos;
    this.pos++;
    let s = '';
    while (this.pos < this.bytes.length && isRegular(this.bytes[this.pos])) {
      if (this.pos - start > MAX_TOKEN) this.fail(`a name longer than ${MAX_TOKEN} bytes`);
      const ch = this.bytes[this.pos]!;
      if (ch === 0x23 && this.pos + 2 < this.bytes.length) {
        s += String.fromCharCode(
          parseInt(String.fromCharCode(this.bytes[this.pos + 1]!, this.bytes[this.pos + 2]!), 16),
        );
        this.pos += 3;
      } else {
        s += String.fromCharCode(ch);
        this.pos++;
      }
    }
    return { kind: 'name', value: s, start: this.base + start, end: this.base + this.pos };
  }

  private hexString(): PdfValue {
    const start = this.pos;
    const b = this.bytes;
    this.pos++;
    const end = b.indexOf(0x3e, this.pos);
    if (end < 0) this.fail('unterminated hex string');
    const out = new Uint8Array((end - this.pos + 1) >> 1);
    let n = 0;
    let high = -1;
    for (; this.pos < end; this.pos++) {
      const v = HEX[b[this.pos]!]!;
      if (v === SPACE) continue;
      if (v < 0) this.fail('bad character in hex string');
      if (high < 0) high = v;
      else {
        out[n++] = high * 16 + v;
        high = -1;
      }
    }
    if (high >= 0) out[n++] = high * 16;
    this.pos = end + 1;
    return {
      kind: 'string',
      bytes: out.subarray(0, n),
      hex: true,
      start: this.base + start,
      end: this.base + this.pos,
    };
  }

  private literalString(): PdfValue {
    const start = this.pos;
    this.pos++;
    const out: number[] = [];
    let depth = 1;
    for (;;) {
      const c = this.bytes[this.pos];
      if (c === undefined) this.fail('unterminated string');
      this.pos++;
      if (c === 0x5c) {
        const n = this.bytes[this.pos++];
        if (n === undefined) this.fail('unterminated string');
        const map: Record<number, number> = {
          0x6e: 10,
          0x72: 13,
          0x74: 9,
          0x62: 8,
          0x66: 12,
          0x28: 0x28,
          0x29: 0x29,
          0x5c: 0x5c,
        };
        if (map[n] !== undefined) out.push(map[n]!);
        else if (n >= 0x30 && n <= 0x37) {
          let v = n - 0x30;
          for (
            let k = 0;
            k < 2 && isDigit(this.bytes[this.pos]) && this.bytes[this.pos]! <= 0x37;
            k++
          )
            v = v * 8 + (this.bytes[this.pos++]! - 0x30);
          out.push(v & 0xff);
        } else if (n === 0x0d) {
          if (this.bytes[this.pos] === 0x0a) this.pos++;
        } else if (n !== 0x0a) out.push(n);
        continue;
      }
      if (c === 0x28) depth++;
      if (c === 0x29 && --depth === 0) break;
      out.push(c);
    }
    return {
      kind: 'string',
      bytes: Uint8Array.from(out),
      hex: false,
      start: this.base + start,
      end: this.base + this.pos,
    };
  }

  /** Reads "N G obj" and returns the numbers, or undefined if the bytes here are not that. */
  objectHeader(): { num: number; gen: number } | undefined {
    const save = this.pos;
    this.skipWhite();
    const n = this.peekWord();
    if (!/^\d{1,10}$/.test(n)) return ((this.pos = save), undefined);
    this.pos += n.length;
    this.skipWhite();
    const g = this.peekWord();
    if (!/^\d{1,5}$/.test(g)) return ((this.pos = save), undefined);
    this.pos += g.length;
    this.skipWhite();
    if (this.peekWord() !== 'obj') return ((this.pos = save), undefined);
    this.pos += 3;
    return { num: Number(n), gen: Number(g) };
  }
}

export const get = (d: PdfValue | undefined, key: string): PdfValue | undefined =>
  d?.kind === 'dict' ? d.entries.get(key) : undefined;
export const num = (v: PdfValue | undefined): number | undefined =>
  v?.kind === 'number' ? v.value : undefined;
export const nameOf = (v: PdfValue | undefined): string | undefined =>
  v?.kind === 'name' ? v.value : undefined;
