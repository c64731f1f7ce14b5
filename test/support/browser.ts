/**
 * Headless Chromium (Debian's /usr/bin/chromium through playwright-core; never a downloaded
 * browser) driving the client's H5 preview served by the BFF. One browser per test file (started
 * by the first `openPreview`, closed by `closeBrowser` — preview-suite.ts does both) and a fresh
 * browser context per `openPreview`, so every patient starts with empty storage (issue 13: a
 * context opens in well under a second, a browser of its own took about two).
 *
 * Selectors: Taro's H5 keeps earlier pages hidden in the DOM, so everything a page shows is
 * looked up under `.taro_page_show`; the simulated WeChat sheet (`#sim-sheet`) lives on <body>.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { CHROMIUM_ARGS as ARGS, CHROMIUM_PATH } from '../../scripts/chromium';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? CHROMIUM_PATH;
/** The H5 build under test (MIP_H5_DIR overrides, e.g. to check the missing-build failure). */
export const H5_DIR = process.env.MIP_H5_DIR ? path.resolve(process.env.MIP_H5_DIR) : path.resolve(__dirname, '../../client/dist/h5');
export const ARTIFACTS = path.resolve(__dirname, '../../test-artifacts');


/** Generous: 2 cores shared with other test runs, a minified Taro bundle and real peers behind the BFF. */
export const UI_TIMEOUT_MS = 20_000;

/**
 * Fails (never skips) when the preview cannot run: a missing H5 build or browser is a broken
 * test set-up, and `npm test` builds the client before jest starts.
 */
export function assertPreviewPrerequisites(): void {
  const index = path.join(H5_DIR, 'index.html');
  if (!fs.existsSync(index)) {
    throw new Error(`The H5 build is missing (${index}). Build it first: npm run build:h5 -w @mip/client (npm test does this).`);
  }
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`Chromium is missing at ${CHROMIUM}. Install Debian's: bash scripts/setup.sh --browser (apt-get install -y chromium).`);
  }
}

export interface Preview {
  page: Page;
  context: BrowserContext;
  /** what the page printed to the console (errors and warnings), and failed requests */
  problems: string[];
  /** uncaught exceptions in the page: a test fails when there are any */
  pageErrors: string[];
  /** an element of the page on screen */
  $(selector: string): Locator;
  /** click an element of the page on screen, after it is visible and enabled */
  tap(selector: string): Promise<void>;
  /** type into a Taro <taro-input-core> by its id (the inner <input>) */
  fill(id: string, text: string): Promise<void>;
  /** wait for the page on screen to be `#page-<name>` (and its loading state to be gone) */
  onPage(name: string): Promise<void>;
  /** text content of a page element, trimmed */
  text(selector: string): Promise<string>;
  /** choose in the simulated WeChat sheet: `#sim-auth-ok`, `#sim-pay-fail`, … */
  sheet(buttonId: string): Promise<void>;
  /** full-page screenshot as test-artifacts/e2e/<suite>/<nn>-<name>.png; returns the file */
  shot(name: string): Promise<string>;
  close(): Promise<void>;
}

/** In the page (a string: the root tsconfig has no DOM types): the height of everything, scroll containers included. */
const CONTENT_HEIGHT = `(() => {
  let h = document.documentElement.scrollHeight;
  for (const el of document.querySelectorAll('body *')) {
    const oy = getComputedStyle(el).overflowY;
    if ((oy === 'auto' || oy === 'scroll') && el.scrollHeight > el.clientHeight) h = Math.max(h, el.scrollHeight + el.getBoundingClientRect().top);
  }
  return Math.ceil(h);
})()`;

const shotsTaken: string[] = [];
/** Every screenshot file written in this jest worker (for a summary). */
export function screenshots(): readonly string[] {
  return shotsTaken;
}

let browser: Promise<Browser> | undefined;

/** This test file's browser, started on first use. */
function sharedBrowser(): Promise<Browser> {
  browser ??= chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS, timeout: 60_000 });
  return browser;
}

/** Closes this test file's browser (after its last preview). */
export async function closeBrowser(): Promise<void> {
  const b = browser;
  browser = undefined;
  await (await b?.catch(() => undefined))?.close();
}

export async function openPreview(baseUrl: string, opts: { patient: string; suite: string }): Promise<Preview> {
  assertPreviewPrerequisites();
  const shotDir = path.join(ARTIFACTS, 'e2e', opts.suite);
  fs.rmSync(shotDir, { recursive: true, force: true }); // no pictures left over from an earlier run
  fs.mkdirSync(shotDir, { recursive: true });
  const context = await (await sharedBrowser()).newContext({
    // a phone-sized viewport: the mini-program's own layout
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 1,
    locale: 'zh-CN',
  });
  context.setDefaultTimeout(UI_TIMEOUT_MS);
  const page = await context.newPage();
  const problems: string[] = [];
  const pageErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console.${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => {
    problems.push(`pageerror: ${e.message}`);
    pageErrors.push(e.stack ?? e.message);
  });
  page.on('requestfailed', (r) => problems.push(`requestfailed: ${r.method()} ${r.url()} ${r.failure()?.errorText ?? ''}`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.request().method()} ${r.url()}`);
  });

  let n = 0;
  const $ = (selector: string) => page.locator(`.taro_page_show ${selector}`).first();
  const preview: Preview = {
    page,
    context,
    problems,
    pageErrors,
    $,
    async tap(selector) {
      const el = $(selector);
      await el.waitFor({ state: 'visible' });
      await el.click();
    },
    async fill(id, text) {
      const input = page.locator(`.taro_page_show #${id} input`).first();
      await input.waitFor({ state: 'visible' });
      await input.fill(text);
    },
    async onPage(name) {
      await page.locator(`.taro_page_show #page-${name}`).first().waitFor({ state: 'visible' });
      await page.locator(`.taro_page_show #page-${name} #state-loading`).first().waitFor({ state: 'detached' });
    },
    async text(selector) {
      const el = $(selector);
      await el.waitFor({ state: 'visible' });
      return ((await el.textContent()) ?? '').trim();
    },
    async sheet(buttonId) {
      const btn = page.locator(`#sim-sheet #${buttonId.replace(/^#/, '')}`);
      await btn.waitFor({ state: 'visible' });
      await btn.click();
      await page.locator('#sim-sheet').waitFor({ state: 'detached' });
    },
    async shot(name) {
      n += 1;
      const file = path.join(shotDir, `${String(n).padStart(2, '0')}-${name}.png`);
      // Taro's pages scroll inside their own container, which fullPage does not see: grow the
      // viewport to the content for the picture, then put it back.
      const vp = page.viewportSize() ?? { width: 390, height: 844 };
      const height = Number(await page.evaluate(CONTENT_HEIGHT));
      if (height > vp.height) await page.setViewportSize({ width: vp.width, height: Math.min(height, 4000) });
      try {
        await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
      } finally {
        if (height > vp.height) await page.setViewportSize(vp);
      }
      shotsTaken.push(file);
      return file;
    },
    async close() {
      // E2E_PROBLEMS=1 prints what each page complained about (console errors, failed requests)
      if (process.env.E2E_PROBLEMS) process.stderr.write(`[${opts.suite}] ${problems.join('\n  ') || '(nothing)'}\n`);
      await context.close().catch(() => undefined);
    },
  };
  await page.goto(`${baseUrl}/?patient=${encodeURIComponent(opts.patient)}#/pages/index/index`, { waitUntil: 'domcontentloaded' });
  return preview;
}

/** "¥15.00" / "15.00元" / "15.00" → 1500 fen (the first amount in the text). */
export function fenOf(text: string): number {
  const m = text.replace(/,/g, '').match(/(\d+)(?:\.(\d{1,2}))?/);
  if (!m) throw new Error(`no amount in "${text}"`);
  return Number(m[1]) * 100 + Number((m[2] ?? '0').padEnd(2, '0'));
}

/**
 * The previews of one test file: `open` in a test, `closeAll` in afterEach. An uncaught exception
 * in any page fails the test that caused it.
 */
export function previewPool(baseUrl: () => string) {
  const open: Preview[] = [];
  return {
    async open(patient: string, suite: string): Promise<Preview> {
      const p = await openPreview(baseUrl(), { patient, suite });
      open.push(p);
      return p;
    },
    async closeAll(): Promise<void> {
      const closing = open.splice(0);
      await Promise.all(closing.map((p) => p.close()));
      const errors = closing.flatMap((p) => p.pageErrors);
      if (errors.length) throw new Error(`uncaught errors in the page:\n${errors.join('\n')}`);
    },
  };
}
