// The explicit table of docprov-text/2 for characters a reader cannot see: every code point of
// Unicode categories Cf, Zl, Zp and every Default_Ignorable_Code_Point (DerivedCoreProperties),
// reserved ones included so that a later Unicode version cannot make one pass silently.
// Each is rejected with its location, except three with one safe meaning, which are converted
// and reported. test/normalise.test.ts checks that the table covers the whole set.

export type InvisibleKind =
  'bidi-control' | 'invisible' | 'format' | 'tag' | 'variation-selector' | 'filler';

/** What the normaliser does with a code point of the table. */
export type Treatment =
  | { action: 'reject'; kind: InvisibleKind; name: string }
  | { action: 'remove'; rule: 'soft-hyphen-removed'; name: string }
  | { action: 'break'; rule: 'line-separator-to-lf' | 'paragraph-separator-to-lf'; name: string };

type Row = readonly [first: number, last: number, treatment: Treatment];

const reject = (kind: InvisibleKind, name: string): Treatment => ({ action: 'reject', kind, name });

export const INVISIBLE_TABLE: readonly Row[] = [
  // A hyphenation hint: invisible unless a line breaks there, so removing it loses no word.
  [0x00ad, 0x00ad, { action: 'remove', rule: 'soft-hyphen-removed', name: 'soft hyphen' }],
  [0x034f, 0x034f, reject('invisible', 'combining grapheme joiner')],
  [0x0600, 0x0605, reject('format', 'Arabic number sign')],
  [0x061c, 0x061c, reject('bidi-control', 'Arabic letter mark')],
  [0x06dd, 0x06dd, reject('format', 'Arabic end of ayah')],
  [0x070f, 0x070f, reject('format', 'Syriac abbreviation mark')],
  [0x0890, 0x0891, reject('format', 'Arabic currency mark above')],
  [0x08e2, 0x08e2, reject('format', 'Arabic disputed end of ayah')],
  [0x115f, 0x1160, reject('filler', 'Hangul filler')],
  [0x17b4, 0x17b5, reject('invisible', 'Khmer inherent vowel')],
  [0x180b, 0x180d, reject('variation-selector', 'Mongolian free variation selector')],
  [0x180e, 0x180e, reject('invisible', 'Mongolian vowel separator')],
  [0x180f, 0x180f, reject('variation-selector', 'Mongolian free variation selector')],
  [0x200b, 0x200d, reject('invisible', 'zero-width space or joiner')],
  [0x200e, 0x200f, reject('bidi-control', 'left-to-right or right-to-left mark')],
  // Both mean a line break and nothing else; keeping them would hide one from line-based tools.
  [0x2028, 0x2028, { action: 'break', rule: 'line-separator-to-lf', name: 'line separator' }],
  [
    0x2029,
    0x2029,
    { action: 'break', rule: 'paragraph-separator-to-lf', name: 'paragraph separator' },
  ],
  [0x202a, 0x202e, reject('bidi-control', 'bidirectional embedding or override')],
  [0x2060, 0x2064, reject('invisible', 'word joiner or invisible operator')],
  [0x2065, 0x2065, reject('invisible', 'reserved default-ignorable code point')],
  [0x2066, 0x2069, reject('bidi-control', 'bidirectional isolate')],
  [0x206a, 0x206f, reject('format', 'deprecated format character')],
  [0x3164, 0x3164, reject('filler', 'Hangul filler')],
  [0xfe00, 0xfe0f, reject('variation-selector', 'variation selector')],
  [0xfeff, 0xfeff, reject('invisible', 'zero-width no-break space (byte order mark)')],
  [0xffa0, 0xffa0, reject('filler', 'halfwidth Hangul filler')],
  [0xfff0, 0xfff8, reject('invisible', 'reserved default-ignorable code point')],
  [0xfff9, 0xfffb, reject('format', 'interlinear annotation character')],
  [0x110bd, 0x110bd, reject('format', 'Kaithi number sign')],
  [0x110cd, 0x110cd, reject('format', 'Kaithi number sign above')],
  [0x13430, 0x1343f, reject('format', 'Egyptian hieroglyph format control')],
  [0x1bca0, 0x1bca3, reject('format', 'shorthand format control')],
  [0x1d173, 0x1d17a, reject('format', 'musical symbol format character')],
  [0xe0000, 0xe0000, reject('invisible', 'reserved default-ignorable code point')],
  [0xe0001, 0xe0001, reject('tag', 'language tag')],
  [0xe0002, 0xe001f, reject('invisible', 'reserved default-ignorable code point')],
  [0xe0020, 0xe007f, reject('tag', 'tag character')],
  [0xe0080, 0xe00ff, reject('invisible', 'reserved default-ignorable code point')],
  [0xe0100, 0xe01ef, reject('variation-selector', 'variation selector')],
  [0xe01f0, 0xe0fff, reject('invisible', 'reserved default-ignorable code point')],
];

// Anything of the set a newer Unicode adds, and the table does not name yet, is rejected.
const UNLISTED = /[\p{Cf}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/u;
const UNLISTED_TREATMENT = reject('format', 'invisible format character');

/** The table's treatment of a code point, or undefined when it is not an invisible character. */
export function invisibleTreatment(cp: number): Treatment | undefined {
  if (cp < 0x00ad) return undefined;
  let lo = 0;
  let hi = INVISIBLE_TABLE.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [first, last, treatment] = INVISIBLE_TABLE[mid]!;
    if (cp < first) hi = mid - 1;
    else if (cp > last) lo = mid + 1;
    else return treatment;
  }
  return UNLISTED.test(String.fromCodePoint(cp)) ? UNLISTED_TREATMENT : undefined;
}
