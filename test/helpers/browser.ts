// Debian's Chromium driven by playwright-core (no browser download), for the verification page:
// a fresh profile each run, the page opened from file://, every request and CSP violation kept.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM =
  process.env.DOCPROV_CHROMIUM ??
  ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p)) ??
  '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launch(viewport = { width: 1280, height: 900 }): Promise<BrowserContext> {
  return chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'docprov-chromium-')), {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    viewport,
    acceptDownloads: true,
  });
}

export interface Watched {
  page: Page;
  /** Every request the page or its workers made, the page's own load included. */
  requests: string[];
  /** Content-Security-Policy violations and uncaught errors: each is a bug. */
  problems: string[];
}

export async function openPage(ctx: BrowserContext, url: string): Promise<Watched> {
  const page = await ctx.newPage();
  const w: Watched = { page, requests: [], problems: [] };
  page.on('request', (r) => w.requests.push(r.url()));
  page.on('pageerror', (e) => w.problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') w.problems.push(`console error: ${m.text()}`);
  });
  await page.addInitScript(() =>
    document.addEventListener('securitypolicyviolation', (e) =>
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`),
    ),
  );
  await page.goto(url);
  return w;
}

/** The verdict the page shows once the check it is running ends. */
export async function verdictOf(page: Page, timeout = 60_000): Promise<string> {
  const v = page.locator('[data-verdict]');
  await v.waitFor({ timeout });
  return (await v.getAttribute('data-verdict'))!;
}

/** Each check as the page shows it: id, status and sentence (with its subject, as the CLI prints). */
export function shownChecks(page: Page): Promise<{ id: string; status: string; text: string }[]> {
  return page.$$eval('table.checks tbody tr', (rows) =>
    rows.map((r) => ({
      id: r.querySelector('code')!.textContent!,
      status: r.className,
      text: r.querySelector('td.message')!.textContent!,
    })),
  );
}

/** Chooses files in the page's one file input; the shown verdict goes at once. */
export async function choose(page: Page, files: string[]): Promise<string> {
  await page.evaluate(() => document.getElementById('verdict')!.replaceChildren());
  await page.locator('input[type=file][multiple]').setInputFiles(files);
  return verdictOf(page);
}

/** Adds a trusted root or a CRL through the page's own control (a file chooser). */
export async function addRoot(page: Page, pem: string): Promise<void> {
  if ((await page.locator('details').getAttribute('open')) === null)
    await page.locator('summary').click();
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    page.getByRole('button', { name: 'Add a root certificate or revocation list…' }).click(),
  ]);
  await chooser.setFiles(pem);
  await page.locator('#added-roots').getByText('Also trusted').waitFor();
}
