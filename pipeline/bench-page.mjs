// The verification page's time on a file, in headless Debian Chromium (npm run bench): from the
// moment the file is chosen to the verdict on the page, median of n runs after one warm-up.
/* global document, window, MutationObserver -- the functions given to page.evaluate run in the page */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const CHROMIUM = process.env.DOCPROV_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run'];

/** Undefined when there is no browser to run it in (said by the caller). */
export async function pageVerifyTimes(pageFile, pdf, rootPem, n = 5) {
  if (!existsSync(CHROMIUM)) return undefined;
  const { chromium } = await import('playwright-core');
  const ctx = await chromium.launchPersistentContext(
    mkdtempSync(path.join(tmpdir(), 'docprov-bench-chromium-')),
    { executablePath: CHROMIUM, args: ARGS },
  );
  try {
    const page = await ctx.newPage();
    await page.goto(pathToFileURL(pageFile).href);
    await page.locator('summary').click();
    const [chooser] = await Promise.all([
      page.waitForEvent('filechooser'),
      page.click('#add-root'),
    ]);
    await chooser.setFiles(rootPem);
    // Timed inside the page: from the input's change event to the verdict element.
    await page.evaluate(() => {
      document.getElementById('files').addEventListener(
        'change',
        () => {
          const t0 = performance.now();
          const seen = new MutationObserver(() => {
            const v = document.querySelector('[data-verdict]');
            if (!v) return;
            seen.disconnect();
            window.benchResult = { ms: performance.now() - t0, verdict: v.dataset.verdict };
          });
          seen.observe(document.body, { subtree: true, childList: true });
        },
        true,
      );
    });
    const times = [];
    for (let i = 0; i <= n; i++) {
      await page.evaluate(() => (window.benchResult = undefined));
      await page.setInputFiles('#files', []);
      await page.setInputFiles('#files', pdf);
      const r = await (
        await page.waitForFunction(() => window.benchResult, null, { timeout: 120_000 })
      ).jsonValue();
      if (r.verdict !== 'authentic') throw new Error(`the page said ${r.verdict}`);
      // The signed pages are drawn after the verdict: the next run must not share the CPU with them.
      await page.waitForFunction(
        () => document.querySelector('canvas.page') && !document.querySelector('[aria-busy]'),
      );
      if (i > 0) times.push(r.ms);
    }
    return times;
  } finally {
    await ctx.close();
  }
}
