// Issue 13: the verification page (dist/verify.html, as npm run build makes it from today's src;
// publish.test.ts keeps artifacts/verify.html equal to it) in Debian's Chromium,
// opened from file://. The same verdicts and checks as the CLI on every corpus file; the published
// copy, a folder, a pasted text; no request of any kind; keyboard, labels, axe-core.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Report } from '../src/core/verify/report.js';
import {
  addRoot,
  choose,
  launch,
  openPage,
  shownChecks,
  verdictOf,
  type Watched,
} from './helpers/browser.js';
import { docprov } from './helpers/cli.js';
import { publishedReportVerifies } from './helpers/published.js';
import { ROOT } from './helpers/paths.js';
import { makeInterop } from './interop/make-interop.js';
import { makeFixture } from './tamper/fixture.js';
import { makeCorpus, makeGoodVectors } from './tamper/make-corpus.js';

const ID = 'khalaf-2017-03-17';
const FOLDER = join(ROOT, 'artifacts', ID);
const PAGE = pathToFileURL(join(ROOT, 'dist', 'verify.html')).href;
const NOW = '2026-12-06T00:00:00.000Z';
const pki = inject('pkiDir');
const testRoot = join(pki, 'root.pem');
/** Revocation data issued after every time the corpora prove: added to the page as to the CLI. */
const laterCrl = join(pki, 'root-crl-later.pem');
const work = mkdtempSync(join(tmpdir(), 'docprov-page-'));
/** Screenshots for a person to look at: DOCPROV_PAGE_SHOTS=DIR keeps them there. */
const shots = process.env.DOCPROV_PAGE_SHOTS ?? join(work, 'shots');
mkdirSync(shots, { recursive: true });

let ctx: BrowserContext;
const opened: Watched[] = [];
// The clock is fixed everywhere, the page's and the CLI's: the published copy's verdict changes
// in 2036 (its newest proof expires) until it is renewed.
async function open(query = `?now=${NOW}`): Promise<Watched> {
  const w = await openPage(ctx, PAGE + query);
  opened.push(w);
  return w;
}

beforeAll(async () => {
  ctx = await launch();
});
afterAll(async () => {
  // No page made a request but its own load, and none broke its policy or threw.
  for (const w of opened) {
    expect(w.requests).toEqual([PAGE + new URL(w.page.url()).search]);
    expect(w.problems).toEqual([]);
  }
  await ctx?.close();
});

/** The CLI's report on the same input, with the same trust and clock. */
function cli(args: string[]): Report {
  const r = docprov([
    'verify',
    ...args,
    '--json',
    ...(args.includes('--now') ? [] : ['--now', NOW]),
  ]);
  return JSON.parse(r.stdout) as Report;
}
/** The published letter's verdict, as the CLI gives it (authentic, or intact and pending). */
const PUBLISHED_VERDICT = cli([join(FOLDER, `${ID}.pdf`)]).verdict;
const asShown = (r: Report) =>
  r.checks.map((c) => ({
    id: c.id,
    status: c.status,
    text: c.message + (c.subject ? ` [${c.subject}]` : ''),
  }));

describe('the published documents, with the built-in trust roots only', () => {
  let w: Watched;
  beforeAll(async () => {
    w = await open();
  });
  it('the published PDF is authentic, with the signer, fingerprint and time the CLI gives', async () => {
    const pdf = join(FOLDER, `${ID}.pdf`);
    const r = cli([pdf]);
    expect(publishedReportVerifies(r), r.summary).toBe(true);
    expect(await choose(w.page, [pdf])).toBe(r.verdict);
    expect(await shownChecks(w.page)).toEqual(asShown(r));
    const facts = await w.page.locator('dl.facts').textContent();
    expect(facts).toContain(r.signer!.subject);
    expect(facts).toContain(r.signer!.fingerprint);
    expect(facts).toContain(r.signingTime!);
    await w.page.locator('canvas.page').first().waitFor();
    await w.page.screenshot({ path: join(shots, 'authentic.png'), fullPage: true });
  });
  it("offers the report as JSON: the CLI's report, but for the file name and the clock", async () => {
    const [download] = await Promise.all([
      w.page.waitForEvent('download'),
      w.page.getByRole('button', { name: 'Download the report (JSON)' }).click(),
    ]);
    const saved = JSON.parse(readFileSync((await download.path())!, 'utf8')) as Report;
    const r = cli([join(FOLDER, `${ID}.pdf`)]);
    expect({ ...saved, file: '', checkedAt: '' }).toEqual({ ...r, file: '', checkedAt: '' });
  });
  it('a tampered copy is invalid, and the page says what was changed', async () => {
    const bytes = readFileSync(join(FOLDER, `${ID}.pdf`));
    const at = bytes.indexOf('Secretary-General');
    bytes[at] = 's'.charCodeAt(0);
    const file = join(work, `tampered.pdf`);
    writeFileSync(file, bytes);
    expect(await choose(w.page, [file])).toBe('invalid');
    expect(await shownChecks(w.page)).toEqual(asShown(cli([file])));
    expect(await w.page.locator('.verdict-title').textContent()).toBe('Not authentic');
    await w.page.screenshot({ path: join(shots, 'tampered.png'), fullPage: true });
  });
  it('the downloaded folder is authentic (all its files chosen at once)', async () => {
    const files = readdirSync(FOLDER).map((n) => join(FOLDER, n));
    const r = cli([FOLDER]);
    expect(publishedReportVerifies(r), r.summary).toBe(true);
    expect(await choose(w.page, files)).toBe(r.verdict);
    expect(await shownChecks(w.page)).toEqual(asShown(r));
  });
  it('a faithful pasted text is authentic, a forged one is not', async () => {
    const text = readFileSync(join(FOLDER, `${ID}.txt`), 'utf8');
    const manifestFiles = ['manifest.json', 'manifest.json.p7s', `${ID}.txt`].map((n) =>
      join(FOLDER, n),
    );
    // Re-wrapped as a copy from a PDF viewer would be: the words are what count.
    await w.page.locator('textarea').fill(text.replace(/\n(?!\n)/g, ' '));
    expect(await choose(w.page, manifestFiles)).toBe(PUBLISHED_VERDICT);
    await w.page.locator('textarea').fill(text.replace('Secretary-General', 'Secretary'));
    expect(await verdictOf(w.page)).toBe('invalid');
    expect((await shownChecks(w.page)).find((c) => c.id === 'text-match')?.status).toBe('fail');
    await w.page.locator('textarea').fill('');
  });
});

const require = createRequire(import.meta.url);

describe('parity with the CLI on every corpus file (the test root added, the clock fixed)', () => {
  let page: Page;
  beforeAll(async () => {
    page = (await open(`?now=${NOW}`)).page;
    await addRoot(page, testRoot);
    await addRoot(page, laterCrl);
  });
  const same = async (file: string) => {
    const verdict = await choose(page, [file]);
    const r = cli([file, '--trust', testRoot, '--revocation', laterCrl, '--now', NOW]);
    expect(verdict, file).toBe(r.verdict);
    expect(await shownChecks(page), file).toEqual(asShown(r));
  };
  it('the tamper corpus and its good vectors', async () => {
    const fx = await makeFixture();
    const vectors = [...makeGoodVectors(fx), ...makeCorpus(fx)];
    for (const [i, v] of vectors.entries()) {
      const file = join(work, `tamper-${i}.pdf`);
      writeFileSync(file, v.bytes);
      await same(file);
      if (v.name.includes('shadow attack')) {
        // What was signed, beside the verdict: the letter, and a note that something was added.
        expect(await page.locator('#preview-note').textContent()).toContain(
          'added to this file after it was signed',
        );
        await page.locator('canvas.page').first().waitFor();
        await page.screenshot({ path: join(shots, 'shadow-attack.png'), fullPage: true });
      }
    }
  });
  it('the interop corpus', async () => {
    const corpus = await makeInterop(pki, join(work, 'interop'));
    for (const f of corpus) await same(f.file);
  });
});

describe('for every reader', () => {
  it('works from a static web host too (here a plain server on 127.0.0.1), with no other request', async () => {
    const server = createServer((req, res) => {
      const name = (req.url ?? '/').split('?')[0] === '/verify.html' ? 'verify.html' : undefined;
      if (!name) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(readFileSync(join(ROOT, 'dist', name)));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/verify.html?now=${NOW}`;
      const w = await openPage(ctx, url);
      expect(await choose(w.page, [join(FOLDER, `${ID}.pdf`)])).toBe(PUBLISHED_VERDICT);
      expect(w.requests).toEqual([url]);
      expect(w.problems).toEqual([]);
      await w.page.close();
    } finally {
      server.close();
    }
  });
  it('takes the files of a folder dropped on the page', async () => {
    const { page } = await open();
    const files = readdirSync(FOLDER).map((name) => ({
      name,
      data: readFileSync(join(FOLDER, name)).toString('base64'),
    }));
    await page.evaluate((list) => {
      const dt = new DataTransfer();
      for (const f of list)
        dt.items.add(new File([Uint8Array.from(atob(f.data), (c) => c.charCodeAt(0))], f.name));
      document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true }));
    }, files);
    expect(await verdictOf(page)).toBe(cli([FOLDER]).verdict);
    expect(await page.locator('dl.facts').textContent()).toContain('9 chosen files');
  });
  it('strings from the input are shown as text, never as HTML', async () => {
    const w = await open();
    const file = join(work, '<img src=x onerror=alert(1)>.pdf');
    writeFileSync(file, readFileSync(join(FOLDER, `${ID}.pdf`)));
    expect(await choose(w.page, [file])).toBe(PUBLISHED_VERDICT);
    expect(await w.page.locator('dl.facts').textContent()).toContain(
      '<img src=x onerror=alert(1)>.pdf',
    );
    expect(await w.page.locator('img').count()).toBe(0);
  });
  it('is usable by keyboard alone: every control in order, the check started with Enter', async () => {
    const { page } = await open();
    const order: string[] = [];
    const tab = async () => {
      await page.keyboard.press('Tab');
      order.push(
        await page.evaluate(() => document.activeElement?.id || document.activeElement!.tagName),
      );
    };
    for (let i = 0; i < 3; i++) await tab();
    await page.keyboard.press('Enter'); // opens "Whom to trust"
    for (let i = 0; i < 3; i++) await tab();
    expect(order).toEqual(['files', 'text', 'SUMMARY', 'add-root', 'pin', 'check']);
    const labels = await page.$$eval('input:not([type=file]), textarea, input[type=file]', (els) =>
      els.map((e) => (e as HTMLInputElement).labels?.[0]?.textContent?.trim() ?? ''),
    );
    expect(labels.every((l) => l.length > 0)).toBe(true);
    await page.locator('input[type=file][multiple]').setInputFiles(join(FOLDER, `${ID}.pdf`));
    await verdictOf(page);
    await page.locator('#check').focus();
    await page.keyboard.press('Enter');
    expect(await verdictOf(page)).toBe(PUBLISHED_VERDICT);
    expect(await page.locator('#verdict').getAttribute('aria-live')).toBe('polite');
  });
  it('axe-core finds no violation, before a check and with each verdict shown', async () => {
    const { page } = await open(`?now=${NOW}`);
    const axe = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
    // Evaluated, not added as a script: the page's policy rightly refuses any other script.
    await page.evaluate(axe);
    const scan = () =>
      page.evaluate(async () => {
        const r = await (globalThis as any).axe.run(document);
        return r.violations.map(
          (v: any) => `${v.id}: ${v.nodes.map((n: any) => n.target).join(' ')}`,
        );
      });
    expect(await scan()).toEqual([]);
    await choose(page, [join(FOLDER, `${ID}.pdf`)]);
    await page.locator('canvas.page').first().waitFor();
    expect(await scan()).toEqual([]);
    const file = join(work, 'tampered-axe.pdf');
    const bytes = readFileSync(join(FOLDER, `${ID}.pdf`));
    bytes[bytes.indexOf('Beirut')] = 'b'.charCodeAt(0);
    writeFileSync(file, bytes);
    expect(await choose(page, [file])).toBe('invalid');
    expect(await scan()).toEqual([]);
  });
  it('reads at 200% zoom: half the width, no sideways scrolling', async () => {
    const { page } = await open();
    await page.setViewportSize({ width: 640, height: 900 });
    await choose(page, [join(FOLDER, `${ID}.pdf`)]);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    // What sticks out, named: the widest elements past the right edge.
    const wide = await page.evaluate(() =>
      Array.from(document.querySelectorAll('body *'))
        .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth)
        .slice(0, 5)
        .map((e) => `${e.tagName}.${e.className}: ${(e.textContent ?? '').slice(0, 60)}`),
    );
    expect(overflow, wide.join('\n')).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(shots, 'zoom-200.png'), fullPage: true });
  });
});
