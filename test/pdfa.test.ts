import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script, also run by hand
import { startTsa } from '../pipeline/tsa-server.mjs';
import { srgbProfile } from '../src/core/typeset/srgb-profile.js';
import { docprovAsync } from './helpers/cli.js';
import { judge } from './helpers/judges.js';
import { buildLetter } from './helpers/letter-build.js';
import { LETTER_DIR, ROOT } from './helpers/paths.js';
import { laterCrl, pkiDir, signerEnv } from './helpers/pki.js';
import { extractedWords, foldTypography } from './helpers/text-compare.js';

// The letter as a tagged PDF (PDF/UA-1) and an archival one (PDF/A-3b), judged by readers that
// share no code with docprov: pikepdf (qpdf) through test/pdfa/facts.py, poppler's pdfinfo,
// pdf.js (what Firefox gives assistive technology) and qpdf --check. No tool here certifies either
// standard (veraPDF is not reachable): these are the requirements each reader can see.

const ID = 'khalaf-2017-03-17';
type Facts = Record<string, any>;
const facts = (pdf: string): Facts => {
  const r = spawnSync('/usr/bin/python3', [join(ROOT, 'test/pdfa/facts.py'), pdf], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`facts.py failed (python3-pikepdf): ${r.stderr}`);
  return JSON.parse(r.stdout);
};
const words = (s: string) => s.split(/\s+/).filter((w) => w !== '');

let dir: string;
let base: string;
let canonical: string;
let f: Facts;
/** The canonical text's elements in reading order: each block, and each line of the last two. */
let elements: string[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'docprov-pdfa-'));
  const built = await buildLetter();
  base = join(dir, 'letter.pdf');
  writeFileSync(base, built.files.get(`${ID}.pdf`)!);
  canonical = new TextDecoder().decode(built.files.get(`${ID}.txt`)!);
  const blocks = canonical.trim().split('\n\n');
  elements = [...blocks.slice(0, -2), ...blocks.slice(-2).flatMap((b) => b.split('\n'))];
  f = facts(base);
});

/** Each element's words, from a list of its text runs: a line-end hyphen joins as the text has it. */
const elementWords = (runs: string[][], want: string[]) =>
  runs.map((lines, i) => extractedWords(lines.map(foldTypography), words(want[i] ?? '')));

describe('tagged PDF (PDF/UA-1)', () => {
  it('pdfinfo: Tagged yes; the catalog marks it, names its language, shows its title', () => {
    expect(judge('pdfinfo', [base]).stdout).toMatch(/^Tagged:\s+yes$/m);
    expect(f.marked).toBe(true);
    expect(f.suspects).toBe(false);
    expect(f.lang).toBe('en');
    expect(f.displayDocTitle).toBe(true);
    expect(f.xmp['dc:title']).toBe(f.info.title);
    expect(f.xmp['pdfuaid:part']).toBe('1');
    expect(f.xmpExtensionDescribesPdfuaid).toBe(true);
  });

  it('pdfinfo -struct-text: each element’s text, in reading order, is the canonical text', () => {
    const out = judge('pdfinfo', ['-struct-text', base]).stdout.split('\n');
    // An element's header ("  P (block)") followed by its text lines, quoted and indented deeper.
    const runs: string[][] = [];
    for (const line of out) {
      const text = /^\s+"(.*)"$/.exec(line);
      if (text) runs.at(-1)!.push(text[1]!);
      else if (/^\s+P\b/.test(line)) runs.push([]);
    }
    expect(runs.length).toBe(elements.length);
    expect(elementWords(runs, elements)).toEqual(elements.map(words));
    expect(out.join('\n')).not.toContain('SHA-256');
    expect(out.join('\n')).not.toMatch(/"\d+ \/ \d+"/);
  });

  it('the structure tree: a Document of roles in reading order, every MCID in the ParentTree', () => {
    const doc = f.structTree.kids;
    expect(doc).toHaveLength(1);
    expect(doc[0].type).toBe('/Document');
    const kids = doc[0].kids;
    const body = elements.length - 2 - 6 - 1;
    expect(kids.map((k: any) => k.type)).toEqual([
      '/Dateline',
      '/Salutation',
      ...Array(body).fill('/P'),
      '/Closing',
      '/Signature',
      '/Addressee',
    ]);
    // Every type is a standard one or role-mapped to one.
    expect(f.structTree.roleMap).toEqual({
      '/Dateline': '/P',
      '/Salutation': '/P',
      '/Closing': '/P',
      '/Signature': '/Div',
      '/Addressee': '/Div',
    });
    for (const block of kids.slice(-2))
      expect(block.kids.map((k: any) => k.type)).toEqual(['/P', '/P', '/P']);
    // Marked content: MCIDs 0, 1, 2 ... on each page, each named once, in reading order.
    const mcids: [number, number][] = [];
    const visit = (n: any) =>
      n.mcid !== undefined ? mcids.push([n.page, n.mcid]) : n.kids.forEach(visit);
    kids.forEach(visit);
    for (const page of [0, 1]) {
      const on = mcids.filter(([p]) => p === page).map(([, m]) => m);
      expect(on).toEqual(on.map((_, i) => i));
    }
    expect(f.structTree.parentTreeKeys).toEqual([0, 1]);
    expect(f.structTree.parentTreeNextKey).toBe(2);
    expect(f.pages).toEqual([
      { structParents: 0, tabs: '/S' },
      { structParents: 1, tabs: '/S' },
    ]);
  });

  it('pdf.js getStructTree: what Firefox gives assistive technology, footers outside it', async () => {
    const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
    const doc = await getDocument({
      data: new Uint8Array(readFileSync(base)),
      isEvalSupported: false,
    }).promise;
    const text = new Map<string, string[]>();
    const artifacts: string[] = [];
    // Each page's leaf nodes (role, marked-content ids) in reading order.
    const pages: { role: string; ids: string[] }[][] = [];
    for (let p = 1; p <= doc.numPages; p++) {
      const page = await doc.getPage(p);
      const content = await page.getTextContent({ includeMarkedContent: true });
      let id: string | undefined;
      let artifact = false;
      for (const item of content.items as any[]) {
        if (item.type === 'beginMarkedContentProps' || item.type === 'beginMarkedContent') {
          id = item.id;
          artifact = item.tag === 'Artifact';
        } else if (item.type === 'endMarkedContent') {
          id = undefined;
          artifact = false;
        } else if (artifact) artifacts.push(item.str);
        else if (id && item.str !== '') text.set(id, [...(text.get(id) ?? []), item.str]);
        else if (item.str.trim() !== '') throw new Error(`untagged text "${item.str}"`);
      }
      const nodes: { role: string; ids: string[] }[] = [];
      const leaves = (n: any) => {
        const ids = (n.children ?? [])
          .filter((c: any) => c.type === 'content')
          .map((c: any) => c.id);
        if (ids.length) nodes.push({ role: n.role, ids });
        (n.children ?? []).forEach(leaves);
      };
      leaves(await page.getStructTree());
      pages.push(nodes);
    }
    await doc.destroy();
    // An element that runs onto the next page is a node on each: joined when the first is short.
    const merged: { role: string; lines: string[] }[] = [];
    pages.forEach((nodes, p) =>
      nodes.forEach((n, i) => {
        const lines = n.ids.map((id) => (text.get(id) ?? []).join(''));
        const last = merged.at(-1);
        const want = words(elements[merged.length - 1] ?? '').length;
        if (p > 0 && i === 0 && last && words(last.lines.join(' ')).length < want)
          last.lines.push(...lines);
        else merged.push({ role: n.role, lines });
      }),
    );
    expect(pages.map((n) => n.length).reduce((a, b) => a + b)).toBeGreaterThan(elements.length);
    expect(merged.map((m) => m.role)).toEqual(elements.map(() => 'P'));
    expect(
      elementWords(
        merged.map((m) => m.lines),
        elements,
      ),
    ).toEqual(elements.map(words));
    expect(artifacts.join(' ')).toMatch(/khalaf-2017-03-17 · SHA-256 [0-9a-f]{16}/);
    expect(artifacts.join(' ')).toContain('2 / 2');
  });
});

describe('archival PDF (PDF/A-3b)', () => {
  it('XMP says PDF/A-3B; the Info dictionary and XMP agree', () => {
    expect(f.xmp['pdfaid:part']).toBe('3');
    expect(f.xmp['pdfaid:conformance']).toBe('B');
    expect(f.xmp['pdf:Producer']).toBe(f.info.producer);
    expect(f.metadataFilter).toEqual([]); // the XMP stream stays uncompressed, as PDF/A asks
  });

  it('an output intent with the embedded sRGB profile (ICC v2, public domain, from texlive-base)', () => {
    expect(f.outputIntents).toHaveLength(1);
    const oi = f.outputIntents[0];
    expect(oi).toMatchObject({ S: '/GTS_PDFA1', identifier: 'sRGB IEC61966-2.1', N: 3 });
    expect(oi.icc).toEqual({
      size: 3268,
      version: 2,
      class: 'mntr',
      space: 'RGB ',
      pcs: 'XYZ ',
      signature: 'acsp',
    });
    // The bytes are the ones the source names (src/core/typeset/srgb-profile.ts).
    const sha = createHash('sha256').update(srgbProfile()).digest('hex');
    expect(sha).toBe('049e05b4b9f85e2b65d43e1bed89e301d157f14ba8dadefe3a92e12814d763da');
    expect(oi.sha256).toBe(sha);
    expect(Buffer.from(srgbProfile()).toString('latin1')).toContain(
      'Released into the public domain',
    );
  });

  it('the sources attached as associated files: /AF, /AFRelationship, MIME types, dates', () => {
    expect(f.attachments).toEqual([
      expect.objectContaining({
        name: `${ID}.txt`,
        F: `${ID}.txt`,
        relationship: '/Source',
        mime: '/text/plain',
        modDate: true,
      }),
      expect.objectContaining({
        name: `${ID}.metadata.json`,
        F: `${ID}.metadata.json`,
        relationship: '/Source',
        mime: '/application/json',
        modDate: true,
      }),
    ]);
    expect(f.embeddedFileNames).toEqual([`${ID}.txt`, `${ID}.metadata.json`]);
  });

  it('every font embedded; nothing PDF/A forbids: no JavaScript, actions, LZW, transparency', () => {
    expect(f.fonts.length).toBeGreaterThan(0);
    for (const font of f.fonts)
      expect(font).toMatchObject({ embedded: true, cidToGid: '/Identity' });
    expect(f.filters).toEqual(['/FlateDecode']);
    expect(f.forbidden).toEqual([]);
    expect(f.transparency).toEqual([]);
    expect(f).toMatchObject({
      header: '%PDF-1.7',
      binaryComment: true,
      id: true,
      encrypted: false,
    });
  });

  it('qpdf --check finds no errors', () => {
    const r = judge('qpdf', ['--check', base]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('No syntax or stream encoding errors found');
  });
});

describe('signed as published (PAdES B-LTA): the tagging and PDF/A survive', () => {
  type Tsa = { url: string; close: () => Promise<void> };
  let tsa: Tsa;
  let signed: string;
  beforeAll(async () => {
    const pki = (n: string) => join(pkiDir(), n);
    tsa = await startTsa({ key: pki('tsa.key'), cert: pki('tsa.pem') });
    const out = join(dir, 'lta');
    const r = await docprovAsync(
      ['build', LETTER_DIR, '-o', out, '--revocation', pki('root-crl.pem')],
      {
        env: {
          ...signerEnv('signer'),
          SOURCE_DATE_EPOCH: String(Math.floor(Date.now() / 1000) - 3600),
          DOCPROV_TSA_URL: tsa.url,
        },
      },
    );
    if (r.code !== 0) throw new Error(r.stderr);
    signed = join(out, `${ID}.pdf`);
  }, 120_000);
  afterAll(() => tsa?.close());

  it('every update after typesetting leaves the structure tree as it was; widgets stay invisible', () => {
    const bytes = readFileSync(signed);
    const typeset = join(dir, 'typeset-revision.pdf');
    writeFileSync(typeset, bytes.subarray(0, bytes.indexOf('%%EOF') + 6));
    const before = facts(typeset);
    const after = facts(signed);
    expect(after.structTree).toEqual(before.structTree);
    expect(after.pages).toEqual(before.pages);
    expect(after.marked).toBe(true);
    expect(after.outputIntents).toEqual(before.outputIntents);
    expect(after.xmp).toEqual(before.xmp);
    // The signature and the document timestamp: zero-area widgets, printable, never hidden
    // (PDF/A-3 6.3.2: Print set; Hidden, Invisible, NoView clear), outside the page's content.
    expect(after.annotations.length).toBe(2);
    for (const a of after.annotations) {
      expect(a).toMatchObject({ subtype: '/Widget', zeroArea: true });
      expect(a.flags & 4).toBe(4);
      expect(a.flags & (1 | 2 | 32)).toBe(0);
    }
    expect(judge('pdfinfo', [signed]).stdout).toMatch(/^Tagged:\s+yes$/m);
    expect(judge('qpdf', ['--check', signed]).stdout).toContain(
      'No syntax or stream encoding errors found',
    );
  });

  it('the verifier still finds nothing but validation data and timestamps after signing', async () => {
    const r = await docprovAsync([
      'verify',
      signed,
      '--trust',
      join(pkiDir(), 'root.pem'),
      '--revocation',
      laterCrl(),
      '--json',
    ]);
    const report = JSON.parse(r.stdout);
    expect(report.verdict, report.summary).toBe('authentic');
    const after = report.checks.filter((c: any) => c.id === 'unchanged-after-signing');
    expect(after.length).toBeGreaterThan(0);
    for (const c of after) expect(c.status, c.message).toBe('pass');
  });
});
