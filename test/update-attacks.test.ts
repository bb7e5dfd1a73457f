import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { get } from '../src/core/pdf/lexer.js';
import { PdfUpdate } from '../src/core/sign/update.js';
import { docprovAsync } from './helpers/cli.js';
import { addDocTimestamp } from '../src/core/sign/doc-timestamp.js';
import { nodeCrypto } from '../src/node/crypto.js';
import { timestamperAt } from './helpers/fake-tsa.js';
import { pkiDir } from './helpers/pki.js';
import { PUBLISHED_NOW, publishedReportVerifies } from './helpers/published.js';
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
/**
 * The published PDF plus one update whose xref is a stream: `direct` objects at offsets, and
 * `packed` objects in a new object stream `stm` (its header as given, to allow lies). With
 * `predictor`, the xref rows carry a /DecodeParms predictor (rows written unpredicted).
 */
function appendXrefStream(opts: {
  direct?: Record<number, string | Buffer>;
  stm?: number;
  packed?: { num: number; body: string }[];
  header?: { num: number; index: number }[];
  predictor?: string;
}): Uint8Array {
  const text = latin1(published);
  const prev = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(text)![1]);
  const trailer = text.slice(text.lastIndexOf('trailer'));
  const keep = ['Root', 'Info'].map(
    (k) => `/${k} ${new RegExp(`/${k} (\\d+ 0 R)`).exec(trailer)![1]}`,
  );
  const id = /\/ID\s*\[[^\]]*\]/.exec(trailer)?.[0] ?? '';
  const size0 = Number([...text.matchAll(/\/Size (\d+)/g)].at(-1)![1]);
  const parts: Buffer[] = [Buffer.from(published), Buffer.from('\n')];
  let at = published.length + 1;
  const rows: [number, number, number, number][] = [];
  const put = (n: number, body: string | Buffer) => {
    const chunk = Buffer.concat([
      Buffer.from(`${n} 0 obj\n`),
      Buffer.from(body as string),
      Buffer.from('\nendobj\n'),
    ]);
    rows.push([n, 1, at, 0]);
    parts.push(chunk);
    at += chunk.length;
  };
  for (const [n, body] of Object.entries(opts.direct ?? {})) put(Number(n), body);
  if (opts.stm !== undefined && opts.packed) {
    const bodies = opts.packed.map((p) => `${p.body}\n`);
    const offsets: number[] = [];
    bodies.reduce((o, b) => (offsets.push(o), o + b.length), 0);
    const header =
      (opts.header ?? opts.packed.map((p, i) => ({ num: p.num, index: i })))
        .map((h) => `${h.num} ${offsets[h.index]}`)
        .join(' ') + '\n';
    const data = Buffer.from(header + bodies.join(''));
    put(opts.stm, stream(`/Type /ObjStm /N ${opts.packed.length} /First ${header.length}`, data));
    opts.packed.forEach((p, i) => rows.push([p.num, 2, opts.stm!, i]));
  }
  const xrefNum = Math.max(size0, ...rows.map((r) => r[0] + 1));
  rows.push([xrefNum, 1, at, 0]);
  rows.sort((a, b) => a[0] - b[0]);
  const raw = Buffer.concat(
    rows.map(([, t, f2, f3]) => {
      const b = Buffer.alloc(7);
      b[0] = t;
      b.writeUInt32BE(f2, 1);
      b.writeUInt16BE(f3, 5);
      return b;
    }),
  );
  const z = deflateSync(raw);
  const dict = `/Type /XRef /Size ${xrefNum + 1} ${keep.join(' ')} ${id} /Prev ${prev} /W [1 4 2] /Index [${rows.map((r) => `${r[0]} 1`).join(' ')}] /Filter /FlateDecode ${opts.predictor ?? ''} /Length ${z.length}`;
  parts.push(
    Buffer.from(`${xrefNum} 0 obj\n<< ${dict} >>\nstream\n`),
    z,
    Buffer.from(`\nendstream\nendobj\nstartxref\n${at}\n%%EOF\n`),
  );
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

/** The page dictionary with object `n` added to its /Annots. */
const pageWithAnnot = (n: number) => {
  const page = pageDict.replace(/\/Annots \[([^\]]*)\]/, `/Annots [$1 ${n} 0 R]`);
  return page === pageDict ? pageDict.replace(/^<</, `<< /Annots [${n} 0 R]`) : page;
};

const verify = async (bytes: Uint8Array, name: string) => {
  const f = join(dir, name);
  writeFileSync(f, bytes);
  const r = await docprovAsync(['verify', f, '--json', '--now', PUBLISHED_NOW]);
  return { code: r.code, report: JSON.parse(r.stdout) };
};
const failures = (report: { checks: { id: string; status: string; message: string }[] }) =>
  report.checks
    .filter((c) => c.status === 'fail' && c.id === 'unchanged-after-signing')
    .map((c) => c.message)
    .join('\n');
const newText = Buffer.from('BT /F1 24 Tf 72 700 Td (I can now submit to such pressure) Tj ET');

describe('the published letter, as published, and changed in ways that change nothing', () => {
  it('is authentic (or pending only revocation data), and its summary says what the publisher signed and what follows it', async () => {
    const { report } = await verify(published, 'published.pdf');
    expect(publishedReportVerifies(report), report.summary).toBe(true);
    expect(report.summary).toMatch(/the first \d+ bytes of this file, except the signature itself/);
    expect(report.summary).toMatch(/only validation data and timestamps/);
  });
  it('an update that writes the catalog again as it was is allowed, and said to change no object', async () => {
    const { report } = await verify(append({ [nums.catalog]: catalogDict }), 'rewritten.pdf');
    expect(publishedReportVerifies(report), report.summary).toBe(true);
    const last = report.checks
      .filter((c: { id: string }) => c.id === 'unchanged-after-signing')
      .at(-1);
    expect(last.message).toMatch(/change no object/);
  });
});

describe('updates whose reading viewers and docprov could disagree on are refused', () => {
  it('an xref stream update that changes nothing is read as such (the writer is sound)', async () => {
    const { code, report } = await verify(
      appendXrefStream({ direct: { [nums.catalog]: catalogDict } }),
      'xrefstm-noop.pdf',
    );
    expect(publishedReportVerifies(report), `${code}: ${report.summary}`).toBe(true);
  });
  /** Page 4 forged (a second content stream, 901) and packed in object stream 902 with `other`. */
  const packedPage = (other: { num: number; body: string }, header: number[], name: string) =>
    verify(
      appendXrefStream({
        direct: { 901: stream('', newText) },
        stm: 902,
        packed: [
          {
            num: nums.page,
            body: pageDict.replace(/\/Contents (\d+ 0 R)/, '/Contents [$1 901 0 R]'),
          },
          other,
        ],
        header: header.map((num, index) => ({ num, index })),
      }),
      name,
    );
  it('an object stream that holds the page twice (readers pick different copies)', async () => {
    const { report } = await packedPage(
      { num: nums.page, body: pageDict },
      [nums.page, nums.page],
      'objstm-twice.pdf',
    );
    expect(report.verdict).toBe('invalid');
    expect(JSON.stringify(report.checks)).toMatch(
      new RegExp(`object stream 902 holds object ${nums.page} twice`),
    );
  });
  it('an object stream whose header names another object at the index the xref gives', async () => {
    const { report } = await packedPage(
      { num: 903, body: '<< >>' },
      [903, nums.page],
      'objstm-index.pdf',
    );
    expect(report.verdict).toBe('invalid');
    expect(JSON.stringify(report.checks)).toMatch(
      /is not at index 0 of object stream 902, as the xref says/,
    );
  });
  it('an xref stream with a predictor docprov does not decode (TIFF, 2)', async () => {
    const { report } = await verify(
      appendXrefStream({
        direct: { [nums.catalog]: catalogDict },
        predictor: '/DecodeParms << /Predictor 2 /Columns 7 >>',
      }),
      'tiff-predictor.pdf',
    );
    expect(report.verdict).toBe('invalid');
    expect(JSON.stringify(report.checks)).toMatch(/unsupported stream \/Predictor 2/);
  });
  it('a stream whose /Length is itself: refused at once, not after gigabytes', async () => {
    const { report } = await verify(
      append({ 900: '<< /Length 900 0 R >>\nstream\nabc\nendstream' }),
      'length-self.pdf',
    );
    expect(report.verdict).toBe('invalid');
    expect(JSON.stringify(report.checks)).toMatch(/object 900 refers to itself while it is read/);
  });
  it('/Encrypt added to the trailer (the pages become unreadable)', async () => {
    const { report } = await verify(
      append(
        { 900: '<< /Filter /Standard /V 1 /R 2 /O <00> /U <00> /P -4 >>' },
        '/Encrypt 900 0 R ',
      ),
      'encrypt.pdf',
    );
    expect(report.verdict).toBe('invalid');
    expect(failures(report)).toMatch(/the trailer's \/Encrypt changed/);
  });
  it('a signature widget whose /Rect is indirect, without an appearance (viewers draw one)', async () => {
    const withAnnots = pageWithAnnot(903);
    const { report } = await verify(
      append({
        [nums.page]: withAnnots,
        902: '[60 640 540 740]',
        903: `<< /Type /Annot /Subtype /Widget /FT /Sig /T (Stamp) /F 4 /Rect 902 0 R /P ${nums.page} 0 R >>`,
      }),
      'indirect-rect.pdf',
    );
    expect(report.verdict).toBe('invalid');
    expect(failures(report)).toMatch(/annotation|visible signature field/);
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
    expect(failures(report)).toMatch(/the trailer's \/Info changed/);
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
    const withAnnots = pageWithAnnot(903);
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

describe('changes passed off as a document timestamp, then covered by a timestamp nobody trusts', () => {
  // Anyone can run a TSA: a document timestamp from one the reader does not trust proves
  // nothing, and must not make what it covers allowed (the attacker's review of this issue).
  const stampedByStranger = (bytes: Uint8Array) =>
    addDocTimestamp(bytes, timestamperAt(pkiDir(), 'tsa', new Date(PUBLISHED_NOW)), nodeCrypto);
  it('the page content turned into an array of a new stream that says /FT /Sig: other, not a signature field', async () => {
    const forged = append({
      [nums.contents]: '[ 905 0 R ]',
      905: stream('/FT /Sig /V 906 0 R', newText),
      906: '<< /Type /DocTimeStamp >>',
    });
    for (const [bytes, name] of [
      [forged, 'contents-sig.pdf'],
      [await stampedByStranger(forged), 'contents-sig-stamped.pdf'],
    ] as const) {
      const { code, report } = await verify(bytes, name);
      expect(code).toBe(1);
      expect(report.verdict).toBe('invalid');
      const f = failures(report);
      expect(f).toMatch(new RegExp(`object ${nums.contents} changed`));
      expect(f).toMatch(/object 905 was added/);
      expect(f).not.toMatch(
        /a signature field \(object 905\)|a document timestamp \(object 906\) was added/,
      );
    }
  });
  it('the form\'s /Fields written again in another order: a change, not "no change"', async () => {
    const reordered = catalogDict.replace(/\/Fields \[(\d+ 0 R) (\d+ 0 R)\]/, '/Fields [$2 $1]');
    expect(reordered).not.toBe(catalogDict);
    const bytes = await stampedByStranger(append({ [nums.catalog]: reordered }));
    const { report } = await verify(bytes, 'fields-reordered.pdf');
    expect(report.verdict).toBe('invalid');
    expect(failures(report)).toMatch(/the catalog changed \/AcroForm/);
  });
  it('thousands of unlisted objects that say /FT /Sig, all reaching one array: other, and judged at once', async () => {
    const objects: Record<number, string> = {
      905: `[ ${Array.from({ length: 3000 }, (_, i) => `${906 + i} 0 R`).join(' ')} ]`,
    };
    for (let i = 0; i < 3000; i++) objects[906 + i] = '<< /FT /Sig /V 905 0 R >>';
    const { report } = await verify(await stampedByStranger(append(objects)), 'many-fields.pdf');
    expect(report.verdict).toBe('invalid');
    expect(failures(report)).not.toMatch(/signature field/);
  });
});
