import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDocument } from '../src/core/build/index.js';
import { directionRuns } from '../src/core/typeset/bidi.js';
import { nodeCrypto } from '../src/node/crypto.js';
import { bodyFont, rtlFont } from '../src/node/fonts.js';
import { harfbuzzWasm } from '../src/node/harfbuzz.js';
import { loadSchema } from '../src/node/schemas.js';
import { judge, mutoolWarnings } from './helpers/judges.js';
import { LETTER_DIR } from './helpers/paths.js';
// @ts-expect-error: a plain .mjs script, also run by hand (npm run synthetic)
import { syntheticLetter } from '../pipeline/synthetic.mjs';

// A right-to-left name in the addressee block: shaped in an Arabic face, set in visual order.

const enc = new TextEncoder();
const letter = (source: string, metadata: string, withRtl = true) =>
  buildDocument({
    source: enc.encode(source),
    metadata: enc.encode(metadata),
    metadataSchema: loadSchema('letter-metadata'),
    font: bodyFont(),
    ...(withRtl ? { rtlFont: rtlFont() } : {}),
    harfbuzz: harfbuzzWasm(),
    toolVersion: '0.0.0-test',
    crypto: nodeCrypto,
    sourceDateEpoch: '1795000000',
  });

/** A synthetic letter whose addressee is "Ms. عمر فاروق" (seed 1, letter 8). */
const synthetic = syntheticLetter(1, 7) as { id: string; source: string; metadata: string };

describe('right-to-left names', () => {
  it('groups a line into runs of one direction, a neutral word joining its right-to-left neighbours', () => {
    expect(directionRuns(['Dr.', 'ليلى', 'حداد'])).toEqual([
      { words: ['Dr.'], rtl: false },
      { words: ['ليلى', 'حداد'], rtl: true },
    ]);
    expect(directionRuns(['ليلى', '2', 'حداد', '2'])).toEqual([
      { words: ['ليلى', '2', 'حداد'], rtl: true },
      { words: ['2'], rtl: false },
    ]);
  });

  it('sets the name in the Arabic face, embedded and subset, right to left, with a clean render', async () => {
    expect(synthetic.source).toContain('Ms. عمر فاروق\n');
    const r = await letter(synthetic.source, synthetic.metadata);
    const dir = mkdtempSync(join(tmpdir(), 'docprov-rtl-'));
    const pdf = join(dir, 'letter.pdf');
    writeFileSync(pdf, r.files.get(`${synthetic.id}.pdf`)!);
    const fonts = judge('pdffonts', [pdf]).stdout;
    expect(fonts).toMatch(
      /^[A-Z]{6}\+NotoNaskhArabic-Regular\s+CID TrueType\s+Identity-H\s+yes yes yes/m,
    );
    expect(fonts).toMatch(
      /^[A-Z]{6}\+SourceSerif4-Regular\s+CID TrueType\s+Identity-H\s+yes yes yes/m,
    );
    expect(mutoolWarnings(pdf, dir)).toEqual([]);
    // Visual order: the first word (عمر) stands to the right of the second (فاروق).
    const pages = judge('pdfinfo', [pdf]).stdout.match(/Pages:\s+(\d+)/)![1]!;
    const stext = judge('mutool', ['draw', '-F', 'stext', '-o', '-', pdf, pages]).stdout;
    const x = (c: string) => Number(new RegExp(`x="([\\d.]+)"[^>]*c="&#x${c};"`).exec(stext)![1]);
    expect(x('639')).toBeGreaterThan(x('641'));
  });

  it('without a right-to-left face the name is a missing glyph at its line, not a box', async () => {
    await expect(letter(synthetic.source, synthetic.metadata, false)).rejects.toMatchObject({
      code: 'missing-glyph',
      problems: expect.arrayContaining([
        expect.objectContaining({ location: expect.objectContaining({ column: 5 }) }),
      ]),
    });
  });

  it('a right-to-left word in a body paragraph is refused: paragraphs are set in the body face', async () => {
    const lines = synthetic.source.split('\n');
    lines[4] = `${lines[4]} عمر`;
    await expect(letter(lines.join('\n'), synthetic.metadata)).rejects.toMatchObject({
      code: 'missing-glyph',
    });
  });

  it('a letter without right-to-left names keeps its bytes when the face is given', async () => {
    const source = readFileSync(`${LETTER_DIR}/source.txt`, 'utf8');
    const metadata = readFileSync(`${LETTER_DIR}/metadata.json`, 'utf8');
    const name = 'khalaf-2017-03-17.pdf';
    const [a, b] = await Promise.all([letter(source, metadata), letter(source, metadata, false)]);
    expect(Buffer.from(a.files.get(name)!).equals(Buffer.from(b.files.get(name)!))).toBe(true);
  });
});
