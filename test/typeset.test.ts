import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDict, PDFDocument, PDFHexString, PDFName, PDFArray } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDocument } from '../src/core/build/index.js';
import { nodeCrypto } from '../src/node/crypto.js';
import { bodyFont } from '../src/node/fonts.js';
import { harfbuzzWasm } from '../src/node/harfbuzz.js';
import { loadSchema } from '../src/node/schemas.js';
import { measureSpacing } from '../src/measure/spacing.js';
import { docprov } from './helpers/cli.js';
import { signerEnv } from './helpers/pki.js';
import { judge, mutoolWarnings } from './helpers/judges.js';
import { LETTER_DIR } from './helpers/paths.js';
import { extractedWords, foldTypography } from './helpers/text-compare.js';

const EPOCH = '1795000000'; // 2026-11-18T11:06:40Z
const source = readFileSync(`${LETTER_DIR}/source.txt`);
const metadata = readFileSync(`${LETTER_DIR}/metadata.json`);
const build = (overrides: Partial<Parameters<typeof buildDocument>[0]> = {}) =>
  buildDocument({
    source,
    metadata,
    metadataSchema: loadSchema('letter-metadata'),
    font: bodyFont(),
    harfbuzz: harfbuzzWasm(),
    toolVersion: '0.1.0',
    crypto: nodeCrypto,
    sourceDateEpoch: EPOCH,
    ...overrides,
  });
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

let dir: string;
let pdfPath: string;
let pdf: Uint8Array;
let canonical: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'docprov-typeset-'));
  const r = await build();
  pdf = r.files.get('khalaf-2017-03-17.pdf')!;
  canonical = new TextDecoder().decode(r.files.get('khalaf-2017-03-17.txt')!);
  pdfPath = join(dir, 'letter.pdf');
  writeFileSync(pdfPath, pdf);
});

describe('determinism', () => {
  it('the same inputs and SOURCE_DATE_EPOCH give the same bytes', async () => {
    const again = (await build()).files.get('khalaf-2017-03-17.pdf')!;
    expect(sha256(again)).toBe(sha256(pdf));
  });

  it('pins the PDF bytes (a changed hash is a reviewed change: see README)', () => {
    // Changed when HarfBuzz took over from fontkit: the same glyphs at the same positions, but the
    // CIDs are now the font's own glyph ids (hb-subset keeps them) and the embedded font program
    // is hb-subset's; then again when the font program got its required /Length1, and when the
    // normalisation rules became docprov-text/2 (their name is in the attached text's description);
    // and when the letter took a book's measure (issue 19: 65 characters a line, expansion first),
    // and again when it became a tagged PDF/UA-1 and PDF/A-3b file (test/pdfa.test.ts).
    expect(sha256(pdf)).toBe('27329f7a9a18f72769987d2540f99a81e799e9618b8f7e4a8ab8bff2eb2fb041');
  });

  it('a different date changes the bytes; without SOURCE_DATE_EPOCH the letter date is used', async () => {
    const other = await build({ sourceDateEpoch: '1795000001' });
    expect(sha256(other.files.get('khalaf-2017-03-17.pdf')!)).not.toBe(sha256(pdf));
    const unset = await build({ sourceDateEpoch: undefined });
    expect(unset.date.toISOString()).toBe('2017-03-17T00:00:00.000Z');
    const unsetPdf = await PDFDocument.load(unset.files.get('khalaf-2017-03-17.pdf')!, {
      updateMetadata: false,
    });
    expect(unsetPdf.getCreationDate()?.toISOString()).toBe('2017-03-17T00:00:00.000Z');
  });

  it('a malformed SOURCE_DATE_EPOCH is a could-not-run error', async () => {
    await expect(build({ sourceDateEpoch: 'yesterday' })).rejects.toMatchObject({
      code: 'bad-source-date-epoch',
      severity: 'unusable',
    });
  });
});

describe('independent judges', () => {
  it('pdffonts: every font embedded and subset, with a valid subset tag and a ToUnicode map', () => {
    const r = judge('pdffonts', [pdfPath]);
    const rows = r.stdout
      .split('\n')
      .slice(2)
      .filter((l) => l.trim() !== '');
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row).toMatch(
        /^[A-Z]{6}\+SourceSerif4-Regular\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes\s/,
      );
    }
  });

  it('qpdf --check finds no errors', () => {
    const r = judge('qpdf', ['--check', pdfPath]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('No syntax or stream encoding errors found');
    expect(r.stderr).toBe('');
  });

  it('mutool renders every page without a warning (a subsetter can corrupt glyphs: fontkit’s did)', () => {
    expect(mutoolWarnings(pdfPath, dir)).toEqual([]);
    const pages = judge('pdfinfo', [pdfPath]).stdout.match(/^Pages:\s+(\d+)/m)![1];
    expect(Number(pages)).toBe(2);
    for (const n of [1, 2])
      expect(readFileSync(join(dir, `page-${n}.png`)).length, `page ${n}`).toBeGreaterThan(10_000);
  });

  it('pdftotext -raw gives the letter word for word, in order', () => {
    const text = judge('pdftotext', ['-raw', '-enc', 'UTF-8', pdfPath, '-']).stdout;
    // The running footer is not letter text; pdftotext -raw may put it on the line before it.
    const lines = text
      .replace(/ ?khalaf-2017-03-17 · SHA-256 [0-9a-f]{16}\s+\d+ \/ \d+/g, '')
      .split(/\n|\f/);
    const want = canonical.split(/\s+/).filter((w) => w !== '');
    const got = extractedWords(lines.map(foldTypography), want);
    expect(got).toEqual(want);
  });

  it('justified lines are even (line_cv <= 0.12; against pdflatex itself: test/typography)', () => {
    // Measured from pdftotext's word boxes, as spacing.py measures (test/spacing.test.ts).
    const s = measureSpacing(pdfPath);
    expect(s.lines).toBeGreaterThan(30);
    expect(s.lineCv).toBeLessThanOrEqual(0.12);
  });

  it('the footer carries the document id and the text digest', () => {
    const text = judge('pdftotext', ['-raw', pdfPath, '-']).stdout;
    const digest = sha256(new TextEncoder().encode(canonical)).slice(0, 16);
    expect(text).toContain(`khalaf-2017-03-17 · SHA-256 ${digest}`);
    expect(text).toContain('1 / 2');
    expect(text).toContain('2 / 2');
  });
});

describe('inside the PDF', () => {
  let doc: PDFDocument;
  beforeAll(async () => {
    doc = await PDFDocument.load(pdf, { updateMetadata: false });
  });

  it('has the Info dictionary, dates from SOURCE_DATE_EPOCH, /Lang and XMP', () => {
    expect(doc.getTitle()).toBe(JSON.parse(metadata.toString()).title);
    expect(doc.getAuthor()).toBe('Rima Khalaf');
    expect(doc.getCreator()).toBe('docprov 0.1.0');
    expect(doc.getKeywords()).toContain('ESCWA');
    expect(doc.getCreationDate()?.toISOString()).toBe('2026-11-18T11:06:40.000Z');
    expect(doc.catalog.get(PDFName.of('Lang'))?.toString()).toBe('(en)');
    const info = judge('pdfinfo', ['-meta', pdfPath]).stdout;
    expect(info).toContain(
      '<dc:creator><rdf:Seq><rdf:li>Rima Khalaf</rdf:li></rdf:Seq></dc:creator>',
    );
    expect(info).toContain('<xmp:CreateDate>2026-11-18T11:06:40Z</xmp:CreateDate>');
  });

  it('has an /ID derived from the content', async () => {
    const idOf = async (bytes: Uint8Array) => {
      const d = await PDFDocument.load(bytes, { updateMetadata: false });
      const id = d.context.trailerInfo.ID as PDFArray;
      return [0, 1].map((i) => (id.get(i) as PDFHexString).asString());
    };
    const [first, second] = await idOf(pdf);
    expect(first).toMatch(/^[0-9a-f]{32}$/);
    expect(second).toBe(first);
    // The same content gives the same /ID (the golden hash above); one changed word, another.
    const reworded = source.toString().replace('two reports', 'three reports');
    expect(reworded).not.toBe(source.toString());
    const other = await build({ source: new TextEncoder().encode(reworded) });
    expect((await idOf(other.files.get('khalaf-2017-03-17.pdf')!))[0]).not.toBe(first);
    // The XMP document id is the same identifier.
    const uuid = `uuid:${first!.slice(0, 8)}-${first!.slice(8, 12)}-${first!.slice(12, 16)}-${first!.slice(16, 20)}-${first!.slice(20)}`;
    expect(judge('pdfinfo', ['-meta', pdfPath]).stdout).toContain(
      `<xmpMM:DocumentID>${uuid}</xmpMM:DocumentID>`,
    );
  });

  it('carries its sources as attached files with /AFRelationship /Source', () => {
    const af = doc.catalog.lookup(PDFName.of('AF'), PDFArray);
    expect(af.size()).toBe(2);
    const rels = af
      .asArray()
      .map((ref) =>
        (doc.context.lookup(ref) as PDFDict).get(PDFName.of('AFRelationship'))?.toString(),
      );
    expect(rels).toEqual(['/Source', '/Source']);
    const out = join(dir, 'attachments');
    judge('mkdir', ['-p', out]);
    judge('pdfdetach', ['-saveall', '-o', out, pdfPath]);
    expect(readFileSync(join(out, 'khalaf-2017-03-17.txt'), 'utf8')).toBe(canonical);
    expect(JSON.parse(readFileSync(join(out, 'khalaf-2017-03-17.metadata.json'), 'utf8')).id).toBe(
      'khalaf-2017-03-17',
    );
  });

  it('writes kerning and ligatures: TJ adjustments, and a ToUnicode entry mapping one glyph to "ffi"', () => {
    const qdf = join(dir, 'qdf.pdf');
    judge('qpdf', ['--qdf', '--object-streams=disable', pdfPath, qdf]);
    const body = readFileSync(qdf, 'latin1');
    expect(body).toMatch(/<[0-9A-F]{4}> <006600660069>/); // the ffi of "difficult"
    expect(body).toMatch(/<[0-9A-F]+> -?\d+(\.\d+)? <[0-9A-F]+>/); // kerning inside a TJ array
    expect(body).toMatch(/ Tz /);
  });
});

describe('glyph coverage', () => {
  it('a character the font lacks is an error naming it and its place', async () => {
    const text = source
      .toString()
      .replace('Dear Mr. Secretary-General,', 'Dear Mr. Secretary-General \u4e2d,');
    const e = await build({ source: new TextEncoder().encode(text) }).catch((err) => err);
    expect(e.code).toBe('missing-glyph');
    expect(e.problems[0].message).toContain('U+4E2D');
    // Line 7 of source.txt (line 3 of the canonical text, after four leading blank lines).
    expect(e.problems[0].location).toEqual({ line: 7, column: 28 });
  });
});

describe('docprov build', () => {
  it('gives the same bytes from another folder, time zone and locale, and writes the PDF beside text and metadata', () => {
    const outs = ['a', 'b'].map((n) => join(mkdtempSync(join(tmpdir(), 'docprov-build-')), n));
    const r1 = docprov(['build', LETTER_DIR, '-o', outs[0]!], {
      env: { ...signerEnv('signer'), SOURCE_DATE_EPOCH: EPOCH, TZ: 'UTC' },
    });
    const r2 = docprov(['build', LETTER_DIR, '-o', outs[1]!], {
      cwd: tmpdir(),
      env: {
        ...signerEnv('signer'),
        SOURCE_DATE_EPOCH: EPOCH,
        TZ: 'Pacific/Auckland',
        LANG: 'de_DE.UTF-8',
      },
    });
    expect(r1.code, r1.stderr).toBe(0);
    expect(r2.code, r2.stderr).toBe(0);
    const a = readFileSync(join(outs[0]!, 'khalaf-2017-03-17.pdf'));
    const b = readFileSync(join(outs[1]!, 'khalaf-2017-03-17.pdf'));
    expect(sha256(a)).toBe(sha256(b));
    // The typeset stage's bytes lead the signed file unchanged.
    expect(sha256(a.subarray(0, pdf.length))).toBe(sha256(pdf));
    expect(r1.stdout).toMatch(/typeset\s+ok/);
  });
});
