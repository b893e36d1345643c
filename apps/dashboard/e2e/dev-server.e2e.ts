import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type DevProcess, freePort, startDev } from './dev-process.ts';
import { desktop, launchChromium, saveFailure, signIn } from './harness.ts';

/**
 * The README's main command as a new user meets it: a real `pnpm dev` (API in watch mode behind Vite's
 * dev proxy), driven by Chromium through the dashboard's own origin. The other browser tests run the
 * built dashboard served by the API itself, where the proxy between them does not exist.
 */
const cases = [
  { name: 'default ports', ports: async () => null, api: 3000, dashboard: 5173 },
  {
    name: 'PORT and DASHBOARD_PORT',
    ports: async () => ({ api: await freePort(), dashboard: await freePort() }),
    api: 0,
    dashboard: 0,
  },
];

const NOTE = 'made under pnpm dev';

describe.each(cases)('pnpm dev ($name): the dashboard changes things through the dev proxy', (c) => {
  let dev: DevProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let ports: { api: number; dashboard: number };
  let forecastId = 0;

  const session = async () => {
    const cookie = (await context.cookies()).find((c) => c.name === 'ethcast_session');
    expect(cookie, 'session cookie').toBeDefined();
    return `ethcast_session=${cookie?.value}`;
  };
  /** users.me with only this cookie, through the dashboard's proxy as the browser reaches it */
  const me = (cookie: string) => fetch(`${dev.dashboardUrl}/trpc/users.me`, { headers: { cookie } });

  beforeAll(async () => {
    const chosen = await c.ports();
    ports = chosen ?? { api: c.api, dashboard: c.dashboard };
    dev = await startDev(chosen);
    browser = await launchChromium();
    context = await browser.newContext({
      baseURL: dev.dashboardUrl,
      viewport: desktop,
      locale: 'en-US',
      timezoneId: 'America/Sao_Paulo',
    });
    context.setDefaultTimeout(60_000);
    page = await context.newPage();
    page.on('pageerror', (error) => console.error(`[browser] ${error.message}`));
  });
  afterEach(async (ctx) => {
    await saveFailure(page, ctx.task);
  });
  afterAll(async () => {
    await context?.close().catch(() => {});
    await browser?.close().catch(() => {});
    await dev?.dispose();
  });

  it('serves on the announced ports', () => {
    expect(dev.dashboardUrl).toBe(`http://127.0.0.1:${ports.dashboard}`);
    expect(dev.apiUrl).toBe(`http://127.0.0.1:${ports.api}`);
  });

  it('signs the demo admin in and makes a forecast', async () => {
    await signIn(page, dev.admin.username, dev.admin.password);
    await page.getByLabel('Days ahead').fill('7');
    await page.getByLabel('Note (optional)').fill(NOTE);
    await page.getByRole('button', { name: 'Make forecast' }).click();
    const made = page.getByRole('heading', { name: /^Forecast for ETH-USD by / });
    const refused = page.getByRole('alert');
    await made.or(refused).first().waitFor();
    expect(await refused.count(), (await refused.allTextContents()).join(' | ')).toBe(0);
    await made.waitFor();
    await page.locator('.forecast-table tbody tr').nth(6).waitFor();
    expect(await page.locator('.forecast-table tbody tr').count()).toBe(7);
    const href = await page.getByRole('link', { name: 'Open this forecast' }).getAttribute('href');
    forecastId = Number(href?.split('/').pop());
    expect(forecastId).toBeGreaterThan(0);
  });

  it('edits the forecast note', async () => {
    await page.getByRole('link', { name: 'Open this forecast' }).click();
    await page.getByRole('heading', { name: `Forecast #${forecastId}` }).waitFor();
    const note = page.getByLabel('Note', { exact: true });
    expect(await note.inputValue()).toBe(NOTE);
    await note.fill('edited under pnpm dev');
    await page.getByRole('button', { name: 'Save note' }).click();
    await page.getByText('Saved').or(page.getByRole('alert')).first().waitFor();
    await page.reload();
    await page.getByRole('heading', { name: `Forecast #${forecastId}` }).waitFor();
    expect(await page.getByLabel('Note', { exact: true }).inputValue()).toBe('edited under pnpm dev');
  });

  it('refuses a signed-in change sent from another site, through the proxy too', async () => {
    const cookie = await session();
    for (const origin of [`http://127.0.0.1:${ports.api}`, 'http://evil.example']) {
      const response = await fetch(`${dev.dashboardUrl}/trpc/users.logout`, {
        method: 'POST',
        headers: { cookie, origin, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(response.status, origin).toBe(403);
      expect(await response.text()).toContain('CROSS_SITE_REQUEST');
    }
    // A form post (no preflight) is refused before the origin is even looked at.
    const form = await fetch(`${dev.dashboardUrl}/trpc/users.logout`, {
      method: 'POST',
      headers: { cookie, origin: 'http://evil.example', 'content-type': 'text/plain' },
      body: '{}',
    });
    expect(form.status).toBe(415);
    // None of them signed the user out.
    expect((await me(cookie)).status).toBe(200);
  });

  it('deletes the forecast', async () => {
    await page.getByRole('button', { name: 'Delete forecast' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await page.waitForURL(/\/forecasts\?deleted=1$/);
    await page.goto(`/forecasts/${forecastId}`);
    await page.getByText(`Forecast ${forecastId} not found`).waitFor();
  });

  it('signs out, and the old session cookie no longer works', async () => {
    const cookie = await session();
    expect((await me(cookie)).status).toBe(200);
    const logout = page.waitForResponse((r) => r.url().includes('/trpc/users.logout'));
    await page.getByRole('button', { name: 'Sign out' }).click();
    expect((await logout).status()).toBe(200);
    await page.waitForURL(/\/sign-in$/);
    expect((await me(cookie)).status).toBe(401);
    await page.goto('/forecasts');
    await page.waitForURL(/\/sign-in\?next=%2Fforecasts/);
  });

  it('stops on Ctrl-C with exit code 0 and no failure message', async () => {
    const code = await dev.interrupt('SIGINT');
    expect(dev.output()).not.toContain('ELIFECYCLE');
    expect(dev.output()).not.toMatch(/Command failed/);
    expect(code).toBe(0);
  });
});
