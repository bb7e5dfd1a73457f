import type { PdfValue } from './lexer.js';

// Parsed values written back as PDF syntax, for incremental updates that change a dictionary
// (the catalog gains /DSS, a page gains an annotation): the rest is written as it was read.

const REGULAR = /^[!-~]$/u;

function name(n: string): string {
  let s = '/';
  for (const ch of n) {
    const c = ch.charCodeAt(0);
    s +=
      REGULAR.test(ch) && !'()<>[]{}/%#'.includes(ch) ? ch : `#${c.toString(16).padStart(2, '0')}`;
  }
  return s;
}

const hex = (b: Uint8Array) => {
  let s = '<';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return `${s}>`;
};

const number = (v: number) => (Number.isInteger(v) ? String(v) : String(Number(v.toFixed(6))));

export function serialize(v: PdfValue): string {
  switch (v.kind) {
    case 'number':
      return number(v.value);
    case 'name':
      return name(v.value);
    case 'string':
      // Printable text stays readable (a field name); anything else is written as hex.
      return v.bytes.every((b) => b >= 0x20 && b < 0x7f && b !== 0x28 && b !== 0x29 && b !== 0x5c)
        ? `(${String.fromCharCode(...v.bytes)})`
        : hex(v.bytes);
    case 'bool':
      return v.value ? 'true' : 'false';
    case 'null':
      return 'null';
    case 'ref':
      return `${v.num} ${v.gen} R`;
    case 'array':
      return `[${v.items.map(serialize).join(' ')}]`;
    case 'dict':
      return `<<${[...v.entries].map(([k, x]) => ` ${name(k)} ${serialize(x)}`).join('')} >>`;
  }
}

/** Builders for values an update adds. */
export const ref = (num: number): PdfValue => ({ kind: 'ref', num, gen: 0, start: 0, end: 0 });
export const arrayOf = (items: PdfValue[]): PdfValue => ({
  kind: 'array',
  items,
  start: 0,
  end: 0,
});
export function withEntry(d: PdfValue | undefined, key: string, value: PdfValue): PdfValue {
  const entries = new Map(d?.kind === 'dict' ? d.entries : []);
  entries.set(key, value);
  return { kind: 'dict', entries, start: 0, end: 0, duplicateKeys: [] };
}
