import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestServer, type TestServer } from '@ethcast/server/test';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { build } from 'vite';

export const appDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const screenshotDir = resolve(appDir, '../../docs/screenshots');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const desktop = { width: 1280, height: 860 };
export const phone = { width: 390, height: 844 };

export type Harness = {
  server: TestServer;
  browser: Browser;
  newPage(viewport?: { width: number; height: number }): Promise<{ context: BrowserContext; page: Page }>;
  close(): Promise<void>;
};

/** Builds the dashboard into a temp folder, serves it from a real API server, and opens Chromium. */
export async function startHarness(): Promise<Harness> {
  await rm(resolve(appDir, '../../.tmp/e2e-failures'), { recursive: true, force: true });
  const dashboardDir = await mkdtemp(join(tmpdir(), 'ethcast-dashboard-'));
  // The test runner sets NODE_ENV=test; the dashboard must be built exactly as `pnpm build` builds it.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      root: appDir,
      configFile: join(appDir, 'vite.config.ts'),
      logLevel: 'warn',
      mode: 'production',
      build: { outDir: dashboardDir, emptyOutDir: true },
    });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  const server = await startTestServer({}, { dashboardDir });
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  await mkdir(screenshotDir, { recursive: true });
  return {
    server,
    browser,
    async newPage(viewport = desktop) {
      const context = await browser.newContext({
        baseURL: server.url,
        viewport,
        locale: 'en-US',
        timezoneId: 'America/Sao_Paulo',
      });
      context.setDefaultTimeout(30_000);
      const page = await context.newPage();
      return { context, page };
    },
    async close() {
      await browser.close().catch(() => {});
      await server.stop().catch(() => {});
      await rm(dashboardDir, { recursive: true, force: true });
    },
  };
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
