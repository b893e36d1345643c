import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  chromiumArgs,
  chromiumPath,
  startTestServer,
  type TestDb,
  type TestServer,
} from '@ethcast/server/test';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, inject } from 'vitest';
import { appDir } from './build.ts';

export { appDir };
/** Screenshots go to the ignored .tmp/screenshots; UPDATE_SCREENSHOTS=1 writes the committed docs/screenshots. */
export const screenshotDir = resolve(
  appDir,
  process.env.UPDATE_SCREENSHOTS === '1' ? '../../docs/screenshots' : '../../.tmp/screenshots',
);

export const desktop = { width: 1280, height: 860 };
export const phone = { width: 390, height: 844 };

export type Harness = {
  server: TestServer;
  browser: Browser;
  newPage(
    viewport?: { width: number; height: number },
    locale?: string,
  ): Promise<{ context: BrowserContext; page: Page }>;
  close(): Promise<void>;
};

/**
 * Serves the built dashboard (see global-setup.ts) from a real API server and opens Chromium; over
 * `testDb` when given (the caller closes it), else over a test database of its own.
 */
export async function startHarness(options: { testDb?: TestDb } = {}): Promise<Harness> {
  // The shipped models/ folder when it exists; else an empty one, leaving the built-in baselines.
  const shipped = resolve(appDir, '../../models');
  const modelsDir = existsSync(shipped) ? shipped : await mkdtemp(join(tmpdir(), 'ethcast-models-'));
  // Jobs on, as in production: the Jobs page shows their schedules and the runs made at start.
  const server = await startTestServer(
    { MODELS_DIR: modelsDir, JOBS: 'on' },
    { dashboardDir: inject('dashboardDir'), ...(options.testDb ? { testDb: options.testDb } : {}) },
  );
  const browser = await launchChromium();
  await mkdir(screenshotDir, { recursive: true });
  return {
    server,
    browser,
    async newPage(viewport = desktop, locale = 'en-US') {
      const context = await browser.newContext({
        baseURL: server.url,
        viewport,
        locale,
        timezoneId: 'America/Sao_Paulo',
      });
      context.setDefaultTimeout(30_000);
      const page = await context.newPage();
      page.on('pageerror', (error) => console.error(`[browser] ${error.message}`));
      return { context, page };
    },
    async close() {
      await browser.close().catch(() => {});
      await server.stop().catch(() => {});
    },
  };
}

/** Headless Chromium (CHROMIUM_PATH, default /usr/bin/chromium) with a fresh profile. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: chromiumArgs,
  });
}

/**
 * For a test file's describe block: a harness and one page at `viewport`, opened before its tests and
 * handed to `opened`; after each failed test its page is saved (saveFailure); after all, both are closed.
 */
export function harnessPerFile(
  viewport: { width: number; height: number },
  opened: (opened: { h: Harness; page: Page }) => void,
): void {
  let h: Harness | undefined;
  let context: BrowserContext | undefined;
  let page: Page | undefined;
  beforeAll(async () => {
    h = await startHarness();
    ({ context, page } = await h.newPage(viewport));
    opened({ h, page });
  });
  afterEach(async (ctx) => {
    await saveFailure(page, ctx.task);
  });
  afterAll(async () => {
    await context?.close();
    await h?.close();
  });
}

/** Signs in through the form (in either language) and waits for the signed-in layout's header. */
export async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.goto('/sign-in');
  await page.locator('input[autocomplete="username"]').fill(username);
  await page.locator('input[type="password"]').fill(password);
  await page.locator('form button[type="submit"]').click();
  await page.locator('header.topbar').waitFor();
}

/**
 * The main navigation, opened first when the header has collapsed it into a menu (narrow screens, long
 * labels).
 */
export async function openNav(page: Page): Promise<Locator> {
  const menu = page.locator('header .menu-button');
  if ((await menu.isVisible()) && (await menu.getAttribute('aria-expanded')) !== 'true') await menu.click();
  const nav = page.locator('header nav.nav');
  await nav.waitFor();
  return nav;
}

export function screenshotPath(name: string): string {
  return join(screenshotDir, name);
}

/** On a failed test, keeps a screenshot and the page text under .tmp/e2e-failures/ for debugging. */
export async function saveFailure(
  page: Page | undefined,
  task: { name: string; result?: { state?: string } },
): Promise<void> {
  if (!page || task.result?.state !== 'fail') return;
  const dir = resolve(appDir, '../../.tmp/e2e-failures');
  await mkdir(dir, { recursive: true });
  const base = join(dir, task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 80));
  await page.screenshot({ path: `${base}.png`, fullPage: true }).catch(() => {});
  const text = await page
    .locator('body')
    .innerText()
    .catch(() => '');
  await writeFile(`${base}.txt`, `${page.url()}\n\n${text}`).catch(() => {});
}

/** Waits two animation frames, so layout and canvas redraws after a viewport change have happened. */
export async function settle(page: Page): Promise<void> {
  await page.evaluate(
    () => new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done()))),
  );
}
