import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { get } from '../src/core/pdf/lexer.js';
import { PdfUpdate } from '../src/core/sign/update.js';
import { docprovAsync } from './helpers/cli.js';
import { ROOT } from './helpers/paths.js';

// Updates appended after the published letter's last document timestamp by a hand-written
// writer (classic xref sections, as an attacker's script makes them). Each one changes what a
// viewer shows or runs while dressing up as something allowed: a cross-reference stream, an
// object stream, validation data, a timestamp. The verifier judges objects by the role they
// play (where the xref points, what the document reaches), never by what they say they are.

const ID = 'khalaf-2017-03-17';
const published = new Uint8Array(readFileSync(join(ROOT, 'artifacts', ID, `${ID}.pdf`)));
const latin1 = (b: Uint8Array) => Buffer.from(b).toString('latin1');

/** The published PDF plus one classic incremental update holding `objects` (number -> body). */
function append(objects: Record<number, string | Buffer>, trailerExtra = ''): Uint8Array {
  const text = latin1(published);
  const prev = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(text)![1]);
  const trailer = text.slice(text.lastIndexOf('trailer'));
  const root = /\/Root (\d+ 0 R)/.exec(trailer)?.[1];
  const info = trailerExtra.includes('/Info')
    ? ''
    : `/Info ${/\/Info (\d+ 0 R)/.exec(trailer)?.[1]} `;
  const id = /\/ID\s*\[[^\]]*\]/.exec(trailer)?.[0] ?? '';
  const last = [...text.matchAll(/\/Size (\d+)/g)].at(-1)![1];
  const parts: Buffer[] = [Buffer.from(published), Buffer.from('\n')];
  let at = published.length + 1;
  const offsets: [number, number][] = [];
  for (const [n, body] of Object.entries(objects)) {
    const chunk = Buffer.concat([
      Buffer.from(`${n} 0 obj\n`),
      Buffer.from(body as string | Buffer),
      Buffer.from('\nendobj\n'),
    ]);
    offsets.push([Number(n), at]);
    parts.push(chunk);
    at += chunk.length;
  }
  const size = Math.max(Number(last), ...offsets.map(([n]) => n + 1));
  const xref =
    'xref\n0 1\n0000000000 65535 f \n' +
    offsets.map(([n, o]) => `${n} 1\n${String(o).padStart(10, '0')} 00000 n \n`).join('') +
    `trailer\n<< /Size ${size} /Root ${root} ${info}${id} /Prev ${prev} ${trailerExtra}>>\nstartxref\n${at}\n%%EOF\n`;
  parts.push(Buffer.from(xref));
  return new Uint8Array(Buffer.concat(parts));
}
const stream = (dict: string, data: Buffer) => {
  const z = deflateSync(data);
  return Buffer.concat([
    Buffer.from(`<< ${dict} /Filter /FlateDecode /Length ${z.length} >>\nstream\n`),
    z,
    Buffer.from('\nendstream'),
  ]);
};

let dir: string;
let nums: { catalog: number; page: number; contents: number; dss: number; docTs: number };
let pageDict: string;
let catalogDict: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'docprov-update-attacks-'));
  const u = await PdfUpdate.open(published);
  const catalog = (await u.catalog())!;
  const page = await u.firstPage();
  const ref = (v: ReturnType<typeof get>) => (v?.kind === 'ref' ? v.num : NaN);
  const text = latin1(published);
  const docTs = Number([...text.matchAll(/(\d+) 0 obj\s*<<\s*\/Type \/DocTimeStamp/g)].at(-1)![1]);
  nums = {
    catalog: catalog.num,
    page: page.num,
    contents: ref(get(page.value, 'Contents')),
    dss: ref(get(catalog.value, 'DSS')),
    docTs,
  };
  // The dictionaries as the newest revision wrote them, to copy with one entry changed.
  const body = (n: number) => {
    const i = text.lastIndexOf(`\n${n} 0 obj`);
    return text.slice(text.indexOf('<<', i), text.indexOf('endobj', i)).trim();
  };
  pageDict = body(nums.page);
  catalogDict = body(nums.catalog);
  expect(Object.values(nums).every(Number.isInteger)).toBe(true);
});

const verify = async (bytes: Uint8Array, name: string) => {
  const f = join(dir, name);
  writeFileSync(f, bytes);
  const r = await docprovAsync(['verify', f, '--json']);
  return { code: r.code, report: JSON.parse(r.stdout) };
};
const failures = (report: { checks: { id: string; status: string; message: string }[] }) =>
  report.checks
    .filter((c) => c.status === 'fail' && c.id === 'unchanged-after-signing')
    .map((c) => c.message)
    .join('\n');
const newText = Buffer.from('BT /F1 24 Tf 72 700 Td (I can now submit to such pressure) Tj ET');

describe('the published letter, as published, and changed in ways that change nothing', () => {
  it('is authentic, and its summary says what the publisher signed and what follows it', async () => {
    const { code, report } = await verify(published, 'published.pdf');
    expect(code).toBe(0);
    expect(report.summary).toMatch(/the first \d+ bytes of this file, except the signature itself/);
    expect(report.summary).toMatch(/only validation data and timestamps/);
  });
  it('an update that writes the catalog again as it was is allowed, and said to change no object', async () => {
    const { code, report } = await verify(append({ [nums.catalog]: catalogDict }), 'rewritten.pdf');
    expect(code, report.summary).toBe(0);
    const last = report.checks
      .filter((c: { id: string }) => c.id === 'unchanged-after-signing')
      .at(-1);
    expect(last.message).toMatch(/change no object/);
  });
});

describe('updates after the last timestamp that dress up as something allowed are refused', () => {
  it('the page content stream rewritten with /Type /XRef in its dictionary', async () => {
    const { code, report } = await verify(
      append({ [nums.contents]: stream('/Type /XRef', newText) }),
      'xref-typed.pdf',
    );
    expect(code).toBe(1);
    expect(report.verdict).toBe('invalid');
    expect(failures(report)).toMatch(new RegExp(`object ${nums.contents} \\(/XRef\\) changed`));
  });
  it('the catalog rewritten with /Type /XRef and an /OpenAction script', async () => {
    const cat = catalogDict
      .replace(/^<</, '<< /OpenAction << /S /JavaScript /JS (app.alert\\(1\\)) >>')
      .replace('/Type /Catalog', '/Type /XRef');
    const { report } = await verify(append({ [nums.catalog]: cat }), 'catalog-xref.pdf');
    expect(report.verdict).toBe('invalid');
    expect(failures(report)).toMatch(/the catalog changed .*\/OpenAction/);
  });
  it('a new /Info labelled /Type /ObjStm forging the author', async () => {
    const { report } = await verify(
      append({ 900: '<< /Type /ObjStm /Author (Forged Author) >>' }, '/Info 900 0 R '),
      'info-objstm.pdf',
    );
    expect(report.verdict).toBe('invalid');
    expect(failures(report)).toMatch(/object 900 \(\/ObjStm\) was added/);
  });
  it('the page content stream written again as a dictionary without its stream', async () => {
    const { report } = await verify(
      append({ [nums.contents]: '<< /Filter /FlateDecode /Length 4016 >>' }),
      'unstreamed.pdf',
    );
    expect(report.verdict).toBe('invalid');
    expect(failures(report)).toMatch(new RegExp(`object ${nums.contents} changed`));
  });
  it('the DSS made to reach the page, which gains a content stream and an action', async () => {
    const page = pageDict
      .replace(/\/Contents (\d+ 0 R)/, '/Contents [$1 901 0 R]')
      .replace(/^<</, '<< /AA << /O 902 0 R >>');
    const { report } = await verify(
      append({
        [nums.dss]: `<< /Type /DSS /VRI << /X ${nums.page} 0 R >> >>`,
        [nums.page]: page,
        901: stream('', newText),
        902: '<< /S /JavaScript /JS (app.alert\\(1\\)) >>',
      }),
      'dss-reach.pdf',
    );
    expect(report.verdict).toBe('invalid');
    const f = failures(report);
    expect(f).toMatch(new RegExp(`page object ${nums.page} changed`));
    expect(f).not.toMatch(new RegExp(`object ${nums.page} is validation data`));
  });
  it('a visible signature widget holding the real timestamp, its appearance labelled /DocTimeStamp', async () => {
    const page = pageDict.replace(/\/Annots \[([^\]]*)\]/, '/Annots [$1 903 0 R]');
    const withAnnots = page === pageDict ? pageDict.replace(/^<</, '<< /Annots [903 0 R]') : page;
    const { report } = await verify(
      append({
        [nums.page]: withAnnots,
        903: `<< /Type /Annot /Subtype /Widget /FT /Sig /T (Stamp) /F 4 /V ${nums.docTs} 0 R /Rect [72 480 540 500] /AP << /N 904 0 R >> /P ${nums.page} 0 R >>`,
        904: stream('/Type /DocTimeStamp /Subtype /Form /BBox [0 0 468 20]', newText),
      }),
      'sneaky.pdf',
    );
    expect(report.verdict).toBe('invalid');
    const f = failures(report);
    expect(f).toMatch(/annotation|visible signature field/);
    expect(f).not.toMatch(/a document timestamp \(object 904\) was added/);
  });
});
