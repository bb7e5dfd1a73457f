import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseLetter } from '../src/core/letter/index.js';
import { validateMetadata } from '../src/core/metadata/index.js';
import { normalise } from '../src/core/normalise/index.js';
import { loadSchema } from '../src/node/schemas.js';
import { thrown } from './helpers/errors.js';
import { sortedJson } from './helpers/sorted-json.js';
import { LETTER_DIR } from './helpers/paths.js';

const letter = parseLetter(normalise(readFileSync(`${LETTER_DIR}/source.txt`)).text);
const metaText = readFileSync(`${LETTER_DIR}/metadata.json`, 'utf8');
const schema = loadSchema('letter-metadata');
const validate = (text: string) => validateMetadata(text, letter, schema, 'metadata.json');
const edit = (change: (m: Record<string, any>) => void): string => {
  const m = JSON.parse(metaText);
  change(m);
  return JSON.stringify(m, null, 2);
};

describe('the committed metadata', () => {
  it('is valid and canonicalises without $schema, keys sorted', () => {
    const { metadata, canonical } = validate(metaText);
    expect(metadata.id).toBe('khalaf-2017-03-17');
    // Every key at every depth in UTF-16 order, no whitespace, and nothing else changed.
    expect(canonical).toBe(sortedJson(JSON.parse(canonical)));
    const { $schema, ...rest } = JSON.parse(metaText);
    expect($schema).toBeDefined();
    expect(JSON.parse(canonical)).toEqual(rest);
  });
});

describe('schema errors, each with pointer, line and column', () => {
  it.each([
    ['unknown property', (m: any) => (m.colour = 'red'), 'schema-additionalProperties', '/colour'],
    ['missing property', (m: any) => delete m.title, 'schema-required', ''],
    ['wrong type', (m: any) => (m.keywords = 'apartheid'), 'schema-type', '/keywords'],
    ['bad date format', (m: any) => (m.date = '2017-02-30'), 'schema-format', '/date'],
    ['bad language tag', (m: any) => (m.language = 'english!'), 'schema-pattern', '/language'],
    ['bad id', (m: any) => (m.id = 'Khalaf 2017'), 'schema-pattern', '/id'],
    [
      'bad related relation',
      (m: any) => (m.related[0].relation = 'likes'),
      'schema-enum',
      '/related/0/relation',
    ],
    [
      'nested unknown property',
      (m: any) => (m.author.email = 'x@y'),
      'schema-additionalProperties',
      '/author/email',
    ],
    ['bad uri', (m: any) => (m.source.url = 'not a uri'), 'schema-format', '/source/url'],
  ])('%s', (_name, change, code, pointer) => {
    const text = edit(change);
    const e = thrown(() => validate(text));
    expect(e.code).toBe('metadata-invalid');
    const p = e.problems.find((x) => x.code === code);
    expect(p, JSON.stringify(e.problems)).toBeDefined();
    expect(p!.location!.pointer).toBe(pointer);
    expect(p!.location!.file).toBe('metadata.json');
    // The line and column are those of the member's key, or of the root object's "{".
    const { line, column } = p!.location!;
    const at = text.split('\n')[line - 1]!.slice(column - 1);
    expect(at.startsWith(pointer ? `${JSON.stringify(pointer.split('/').pop())}:` : '{'), at).toBe(
      true,
    );
  });

  it('reports every error, not only the first', () => {
    const e = thrown(() =>
      validate(
        edit((m) => {
          m.colour = 1;
          m.date = 'soon';
          delete m.place;
        }),
      ),
    );
    expect(e.problems.map((p) => [p.code, p.location!.pointer]).sort()).toEqual([
      ['schema-additionalProperties', '/colour'],
      ['schema-format', '/date'],
      ['schema-required', ''],
    ]);
    expect(e.problems.find((p) => p.code === 'schema-required')!.message).toContain('"place"');
  });
});

describe('cross-checks against the letter', () => {
  it.each([
    ['/date', (m: any) => (m.date = '2017-03-16'), '2017-03-16', '2017-03-17'],
    ['/place', (m: any) => (m.place = 'Amman'), 'Amman', 'Beirut'],
    ['/author/name', (m: any) => (m.author.name = 'R. Khalaf'), 'R. Khalaf', 'Rima Khalaf'],
    [
      '/author/titles',
      (m: any) => (m.author.titles = ['Executive Secretary']),
      'Executive Secretary',
      'Under-Secretary-General / Executive Secretary',
    ],
    [
      '/recipient/name',
      (m: any) => (m.recipient.name = 'Ban Ki-moon'),
      'Ban Ki-moon',
      'António Guterres',
    ],
    [
      '/recipient/title',
      (m: any) => (m.recipient.title = 'President'),
      'President',
      'Secretary-General',
    ],
  ])('%s disagreeing with the letter names both values', (pointer, change, ours, letterValue) => {
    const text = edit(change);
    const e = thrown(() => validate(text));
    const p = e.problems.find((x) => x.location?.pointer === pointer);
    expect(p?.code).toBe('metadata-mismatch');
    expect(p!.message).toMatch(
      new RegExp(`metadata's .*"${ours}" disagrees with the letter's "[^"]*${letterValue}`),
    );
    // Placed at the member's value in the metadata file.
    const value = pointer
      .split('/')
      .slice(1)
      .reduce((v: any, k) => v[k], JSON.parse(text));
    const { line, column } = p!.location!;
    const at = text.split('\n')[line - 1]!.slice(column - 1);
    expect(at.startsWith(JSON.stringify(value, null, 2).split('\n')[0]!), at).toBe(true);
  });
});

describe('malformed JSON', () => {
  it.each([
    ['{\n  "id": "x",\n  "title": \n}', 4, 1],
    ['{\n  "id": "x"\n  "title": "t"\n}', 3, 3],
    ['{"id": "x", "id": "y"}', 1, 13],
    ['{"id": "x"} trailing', 1, 13],
    ['', 1, 1],
  ])('%j is rejected at its line and column', (text, line, column) => {
    const e = thrown(() => validate(text));
    expect(e.code).toBe('json-syntax');
    expect(e.problems[0]!.location).toMatchObject({ file: 'metadata.json', line, column });
  });
  it.each([
    ['{"place": "a", "place": "b"}', 1, 16, 'malformed JSON: duplicate key "place"'],
    ['{\n  "id": "x",\n}', 2, 12, 'malformed JSON: trailing comma before "}"'],
    ['{"keywords": ["a", ]}', 1, 18, 'malformed JSON: trailing comma before "]"'],
    ['{"id": "x"', 1, 11, 'malformed JSON: unexpected end of input (expected "," or "}")'],
    ['{"id": tru}', 1, 8, 'malformed JSON: expected a value, found "t"'],
  ])('%j says what is wrong', (text, line, column, message) => {
    const e = thrown(() => validate(text));
    expect(e.problems).toEqual([
      {
        code: 'json-syntax',
        message,
        location: { file: 'metadata.json', line, column },
      },
    ]);
  });
  it('a date in another form names the form expected', () => {
    const e = thrown(() => validate(edit((m) => (m.date = '17 March 2017'))));
    expect(e.problems[0]!.message).toBe(
      '/date: "17 March 2017" is not a date in the form YYYY-MM-DD (e.g. 2017-03-17)',
    );
  });
  it('refuses absurd nesting without a crash', () => {
    expect(thrown(() => validate('['.repeat(100_000))).code).toBe('json-syntax');
  });
});
