import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildDocument } from '../src/core/build/index.js';
import { textLine } from '../src/core/typeset/content.js';
import { EmbeddedFont } from '../src/core/typeset/embed-font.js';
import { fontMetrics } from '../src/core/typeset/font-metrics.js';
import { openFont } from '../src/core/typeset/harfbuzz.js';
import { loadShaping, loadSubsetting } from '../src/core/typeset/hb/instantiate.js';
import { subsetGlyphs } from '../src/core/typeset/hb/subset.js';
import { Shaper } from '../src/core/typeset/shaper.js';
import { typographic } from '../src/core/typeset/typographic.js';
import { nodeCrypto } from '../src/node/crypto.js';
import { bodyFont } from '../src/node/fonts.js';
import { harfbuzzWasm } from '../src/node/harfbuzz.js';
import { loadSchema } from '../src/node/schemas.js';
import { LETTER_DIR, ROOT } from './helpers/paths.js';
import { readSfnt } from './helpers/sfnt.js';

const LATIN = { script: 'Latn', direction: 'ltr', language: 'en' } as const;
const ARABIC = { script: 'Arab', direction: 'rtl', language: 'ar' } as const;
const NASKH = new Uint8Array(
  readFileSync(
    `${ROOT}node_modules/@expo-google-fonts/noto-naskh-arabic/400Regular/NotoNaskhArabic_400Regular.ttf`,
  ),
);
const shaper = async (font: Uint8Array, props: typeof LATIN | typeof ARABIC) =>
  new Shaper(await openFont(harfbuzzWasm(), font), props);
const letterWords = () => [
  ...new Set(
    typographic(readFileSync(`${LETTER_DIR}/source.txt`, 'utf8'))
      .split(/\s+/)
      .filter(Boolean),
  ),
];

describe('shaping with HarfBuzz', () => {
  it('sets a standard ligature as one glyph that stands for its letters', async () => {
    const s = await shaper(bodyFont(), LATIN);
    const glyphs = s.glyphs('difficult');
    expect(glyphs.map((g) => g.text)).toEqual(['d', 'i', 'ffi', 'c', 'u', 'l', 't']);
    expect(glyphs[2]!.id).not.toBe(s.glyphs('f')[0]!.id);
  });

  it('kerns: "AV" is set tighter than its glyphs’ own advances', async () => {
    const s = await shaper(bodyFont(), LATIN);
    const [a] = s.glyphs('AV');
    expect(a!.xAdvance).toBeLessThan(a!.advance);
    expect(s.width('AV', 1000)).toBeLessThan(s.width('A', 1000) + s.width('V', 1000));
  });

  it('every word of the letter: real glyphs whose texts spell the word', async () => {
    const s = await shaper(bodyFont(), LATIN);
    const words = letterWords();
    expect(words.length).toBeGreaterThan(350);
    for (const w of words) {
      const glyphs = s.glyphs(w);
      expect(glyphs.map((g) => g.text).join(''), w).toBe(w);
      expect(glyphs.every((g) => g.id !== 0 && g.advance > 0)).toBe(true);
    }
  });

  it('shapes Arabic right to left: joining forms, marks, clusters in visual order', async () => {
    const s = await shaper(NASKH, ARABIC);
    const bases = s.glyphs('ببب').filter((g) => g.text !== '');
    // Final, medial and initial forms, left to right on the page.
    expect(new Set(bases.map((g) => g.id)).size).toBe(3);
    expect(
      bases
        .map((g) => g.text)
        .reverse()
        .join(''),
    ).toBe('ببب');
    const fatha = s.glyphs('بَ');
    expect(fatha.some((g) => g.yOffset !== 0)).toBe(true);
    expect(fatha.filter((g) => g.text !== '').map((g) => g.text)).toEqual(['بَ']);
    // The same letters shaped as Latin stay unjoined: the run's script and direction matter.
    const unjoined = (await shaper(NASKH, LATIN)).glyphs('ببب').filter((g) => g.text !== '');
    expect(new Set(unjoined.map((g) => g.id)).size).toBe(1);
  });

  it('writes a mark’s vertical offset as a text rise, and leaves no rise behind', async () => {
    const s = await shaper(NASKH, ARABIC);
    const font = new EmbeddedFont(fontMetrics(await openFont(harfbuzzWasm(), NASKH)), 'F1');
    const line = textLine(s, font, { words: ['بَ'], x: 0, y: 0, size: 10 });
    const rises = [...line.matchAll(/(-?[\d.]+) Ts/g)].map((m) => Number(m[1]));
    expect(rises.some((r) => r !== 0)).toBe(true);
    expect(rises.at(-1)).toBe(0);
  });
});

describe('tagged lines', () => {
  it('a line is one marked-content sequence; a hyphen hyphenation added is an artifact', async () => {
    const s = await shaper(bodyFont(), LATIN);
    const font = new EmbeddedFont(fontMetrics(await openFont(harfbuzzWasm(), bodyFont())), 'F1');
    const words = ['the', 'consid-'];
    const plain = textLine(s, font, { words, x: 0, y: 0, size: 10 });
    const tagged = textLine(s, font, {
      words,
      x: 0,
      y: 0,
      size: 10,
      tag: '/P <</MCID 3>> BDC',
      hyphen: true,
    });
    const m = /Td \/P <<\/MCID 3>> BDC (.*) EMC \/Artifact BMC (.*) EMC ET$/.exec(tagged);
    expect(m, tagged).not.toBeNull();
    const glyphs = (ops: string) => [...ops.matchAll(/<([0-9A-F]+)>/g)].map((g) => g[1]).join('');
    const hyphen = s.glyphs('-')[0]!.id.toString(16).toUpperCase().padStart(4, '0');
    expect(glyphs(m![2]!)).toBe(hyphen);
    // The same glyphs at the same places as untagged: only the marks differ.
    expect(glyphs(m![1]!) + glyphs(m![2]!)).toBe(glyphs(plain));
    const unmarked = tagged
      .replace(/ ?\/P <<\/MCID 3>> BDC| EMC \/Artifact BMC| EMC(?= ET)/g, '')
      .replace(/>\] TJ \[</g, '');
    expect(unmarked).toBe(plain);
    // A word's own hyphen stays text: without `hyphen`, nothing is an artifact.
    expect(
      textLine(s, font, { words, x: 0, y: 0, size: 10, tag: '/P <</MCID 0>> BDC' }),
    ).not.toContain('Artifact');
  });
});

describe('subsetting with hb-subset', () => {
  const subset = async (glyphs: number[]) =>
    subsetGlyphs(await loadSubsetting(harfbuzzWasm().subset), bodyFont(), glyphs);

  it('keeps each glyph at its id, empties the others, and drops the layout tables', async () => {
    const s = await shaper(bodyFont(), LATIN);
    const kept = [...new Set(s.glyphs('difficult AVATAR').map((g) => g.id))];
    const font = readSfnt(await subset(kept));
    const whole = readSfnt(bodyFont());
    expect(font.numGlyphs).toBeGreaterThan(Math.max(...kept));
    for (const id of kept) expect(font.glyphLength(id), `glyph ${id}`).toBe(whole.glyphLength(id));
    const dropped = s.glyphs('z')[0]!.id;
    expect(whole.glyphLength(dropped)).toBeGreaterThan(0);
    expect(font.glyphLength(dropped)).toBe(0);
    for (const tag of ['GSUB', 'GPOS', 'GDEF']) expect(font.tables.has(tag), tag).toBe(false);
    for (const tag of ['glyf', 'loca', 'hmtx', 'head'])
      expect(font.tables.has(tag), tag).toBe(true);
  });

  it('gives the same bytes for the same glyphs', async () => {
    expect(await subset([3, 4, 5])).toEqual(await subset([5, 4, 3]));
  });
});

describe('loading HarfBuzz', () => {
  it('damaged WebAssembly is a could-not-run error that says how to fix it', async () => {
    const damaged = harfbuzzWasm().shape.slice(0, 4096);
    await expect(loadShaping(damaged)).rejects.toMatchObject({
      code: 'harfbuzz-unavailable',
      severity: 'unusable',
      hint: expect.stringContaining('npm ci'),
    });
  });
});

describe('the WebAssembly tier', () => {
  it('V8’s optimising compiler alone gives the same PDF as the baseline compiler docprov uses', async () => {
    const pdf = async () =>
      (
        await buildDocument({
          source: readFileSync(`${LETTER_DIR}/source.txt`),
          metadata: readFileSync(`${LETTER_DIR}/metadata.json`),
          metadataSchema: loadSchema('letter-metadata'),
          font: bodyFont(),
          harfbuzz: harfbuzzWasm(),
          toolVersion: '0.1.0',
          crypto: nodeCrypto,
          sourceDateEpoch: '1795000000',
        })
      ).files.get('khalaf-2017-03-17.pdf')!;
    const here = createHash('sha256')
      .update(await pdf())
      .digest('hex');
    // The child reads HarfBuzz itself (not through src/node/harfbuzz.ts, which sets the tier).
    const child = spawnSync(
      process.execPath,
      ['--no-liftoff', '--input-type=module', '-e', TURBOFAN_BUILD],
      { cwd: ROOT, encoding: 'utf8', timeout: 120_000 },
    );
    expect(child.status, child.stderr).toBe(0);
    expect(child.stdout.trim()).toBe(here);
  });
});

const TURBOFAN_BUILD = `
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { buildDocument } from './dist/core/build/index.js';
import { nodeCrypto } from './dist/node/crypto.js';
import { bodyFont } from './dist/node/fonts.js';
import { loadSchema } from './dist/node/schemas.js';
const wasm = (f) => new Uint8Array(readFileSync('node_modules/harfbuzzjs/dist/' + f));
const dir = 'pipeline/sources/khalaf-2017-03-17/';
const r = await buildDocument({
  source: readFileSync(dir + 'source.txt'),
  metadata: readFileSync(dir + 'metadata.json'),
  metadataSchema: loadSchema('letter-metadata'),
  font: bodyFont(),
  harfbuzz: { shape: wasm('harfbuzz.wasm'), subset: wasm('harfbuzz-subset.wasm') },
  toolVersion: '0.1.0',
  crypto: nodeCrypto,
  sourceDateEpoch: '1795000000',
});
console.log(createHash('sha256').update(r.files.get('khalaf-2017-03-17.pdf')).digest('hex'));
`;
