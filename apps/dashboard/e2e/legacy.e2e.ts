import { upsertPrices } from '@ethcast/server';
import { createTakenOverTestDb, generateCandles, legacyUsers, type TestDb } from '@ethcast/server/test';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { desktop, type Harness, saveFailure, screenshotPath, signIn, startHarness } from './harness.ts';

describe('dashboard: forecasts taken over from the legacy backend', () => {
  let testDb: TestDb;
  let h: Harness;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    testDb = await createTakenOverTestDb();
    // closes from 2024-09-01 through 2024-12-02 (history before forecast 1, and the actual of its day),
    // scaled to about the ETH price of the time
    const candles = generateCandles('ETH-USD', '2024-09-01', 93, 3).map((c) => ({
      ...c,
      open: c.open * 10,
      high: c.high * 10,
      low: c.low * 10,
      close: c.close * 10,
    }));
    await upsertPrices(testDb.db, candles, 'test');
    h = await startHarness({ testDb });
    ({ context, page } = await h.newPage(desktop));
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });
  afterEach(async (ctx) => {
    await saveFailure(page, ctx.task);
  });
  afterAll(async () => {
    await context?.close();
    await h?.close();
    await testDb?.close();
  });

  it('a legacy user signs in with the old password and sees their forecasts in the history', async () => {
    const joao = legacyUsers[0];
    await signIn(page, joao.username, joao.password);
    await page.goto('/forecasts');
    const rows = page.locator('tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(2);
    expect(await rows.nth(0).innerText()).toMatch(/^4\s+Feb 20, 2016, 9:15\s?PM\s+ETH-USD\s+lstm\s+3/);
    expect(await rows.nth(1).innerText()).toMatch(/^1\s+Dec 1, 2024, 11:30\s?PM\s+ETH-USD\s+lstm\s+1/);
    expect(pageErrors).toEqual([]);
  });

  it('shows a legacy forecast with its actual close, no band and "—" for what it never had', async () => {
    await page.goto('/forecasts/1');
    await page.getByRole('heading', { name: 'Forecast #1' }).waitFor();
    await page.getByText('Prices through —').waitFor();
    const row = page.locator('.forecast-table tbody tr').first();
    const cells = await row.locator('th, td').allInnerTexts();
    // day, forecast, four band columns, actual, error
    expect(cells[0]).toBe('Dec 2, 2024');
    expect(cells[1]).toBe('$3,612.50');
    expect(cells.slice(2, 6)).toEqual(['—', '—', '—', '—']);
    expect(cells[6]).toMatch(/^\$[\d,]+\.\d{2}$/);
    await page
      .getByText(
        /^1 day known\. Mean absolute error \$[\d,.]+ \([\d.]+%\)\. This forecast came from the legacy backend, which made no bands\.$/,
      )
      .waitFor();
    await page
      .getByRole('img', { name: /Chart of recent closes/ })
      .locator('canvas')
      .first()
      .waitFor();
    await page.screenshot({ path: screenshotPath('legacy-forecast-detail.png'), fullPage: true });

    await page.goto('/forecasts/4');
    await page.getByRole('heading', { name: 'Forecast #4' }).waitFor();
    await page.getByText('No actual closes yet: check back after Feb 21, 2016.').waitFor();
    expect(await page.locator('.forecast-table tbody tr').count()).toBe(3);
    expect(pageErrors).toEqual([]);
  });
});
