import { createActor, seedPrices, TEST_PASSWORD } from '@ethcast/server/test';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { desktop, type Harness, harnessPerFile, signIn } from './harness.ts';

const USER = 'forecaster';
const SYMBOL = 'ETH-USD';
const START = '2025-01-01';
const HISTORY = 300; // through 2025-10-27
const SEED = 7;
const NOTE = 'first e2e forecast';

describe('dashboard: forecasts', () => {
  let h: Harness;
  let page: Page;
  let forecastId = 0;
  let owner: Awaited<ReturnType<typeof createActor>>;

  harnessPerFile(desktop, (opened) => {
    ({ h, page } = opened);
  });

  it('shows a clear empty state while no prices are loaded', async () => {
    owner = await createActor(h.server.services, USER);
    await signIn(page, USER, TEST_PASSWORD);
    await page.getByRole('heading', { name: 'No prices are loaded yet' }).waitFor();
  });

  it('makes a forecast with the default model and shows the chart and the table', async () => {
    // Import generated prices into the test database, as an operator would with a CSV.
    await seedPrices(h.server.testDb.db, SYMBOL, START, HISTORY, SEED);
    await page.reload();

    const model = page.getByLabel('Model');
    await model.waitFor();
    // The generated prices end on 2025-10-27, long before today: the page says the forecast starts then.
    await page
      .getByText(/These prices are \d+ days behind: a forecast starts after Oct 27, 2025, not today/)
      .waitFor();
    // The registry's default (or persistence, when no model has a recorded backtest) is preselected.
    expect(await model.inputValue()).not.toBe('');
    await page
      .getByRole('complementary', { name: 'Backtest quality' })
      .getByText(/persistence|No backtest metrics yet/)
      .first()
      .waitFor();

    await page.getByLabel('Days ahead').fill('14');
    await page.getByLabel('Note (optional)').fill(NOTE);
    await page.getByRole('button', { name: 'Make forecast' }).click();

    await page.getByRole('heading', { name: /^Forecast for ETH-USD by / }).waitFor();
    const chart = page.getByRole('img', { name: /Chart of recent closes/ });
    await chart.locator('canvas').first().waitFor();
    expect(await page.locator('.forecast-table tbody tr').count()).toBe(14);
    const href = await page.getByRole('link', { name: 'Open this forecast' }).getAttribute('href');
    forecastId = Number(href?.split('/').pop());
    expect(forecastId).toBeGreaterThan(0);
  });

  it('pages through the history and finds the forecast there', async () => {
    // Eleven newer forecasts push the first one to page 2 (ten per page).
    const api = h.server.client(owner.token);
    for (let i = 1; i <= 11; i++) {
      await api.predicts.create.mutate({ symbol: SYMBOL, model: 'naive', days: 7, note: `batch ${i}` });
    }

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My forecasts' }).click();
    await page.getByRole('heading', { name: 'My forecasts' }).waitFor();
    await page.locator('tbody tr', { hasText: 'batch 11' }).waitFor();
    expect(await page.locator('tbody tr').count()).toBe(10);
    expect(await page.locator('tbody tr', { hasText: NOTE }).count()).toBe(0);

    await page.getByRole('button', { name: /Older/ }).click();
    await page.getByText('Page 2').waitFor();
    const row = page.locator('tbody tr', { hasText: NOTE });
    await row.waitFor();
    expect(await page.getByRole('button', { name: /Older/ }).isDisabled()).toBe(true);
    await row.getByRole('link', { name: `View #${forecastId}` }).click();
    await page.getByRole('heading', { name: `Forecast #${forecastId}` }).waitFor();
  });

  it("lets an admin switch from their own forecasts to everyone's, with whose each one is", async () => {
    await createActor(h.server.services, 'overseer', 'admin');
    const admin = await h.newPage(desktop);
    try {
      await signIn(admin.page, 'overseer', TEST_PASSWORD);
      await admin.page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'My forecasts' })
        .click();
      // An admin's own history first: they have made none.
      await admin.page.getByRole('heading', { name: 'My forecasts' }).waitFor();
      await admin.page.getByText('You have not made any forecasts yet.').waitFor();

      await admin.page.getByLabel('Show').selectOption({ label: 'Everyone’s forecasts' });
      await admin.page.getByRole('heading', { name: 'All forecasts' }).waitFor();
      const row = admin.page.locator('tbody tr', { hasText: 'batch 11' });
      await row.waitFor();
      expect(await admin.page.getByRole('columnheader', { name: 'User' }).count()).toBe(1);
      expect(await row.getByRole('cell', { name: USER, exact: true }).count()).toBe(1);
      expect(await admin.page.locator('tbody tr').count()).toBe(10);

      // The forecast opens for the admin as well.
      await row.getByRole('link', { name: /^View #/ }).click();
      await admin.page.getByRole('heading', { name: /^Forecast #/ }).waitFor();
      await admin.page.getByText(`by ${USER}`, { exact: false }).first().waitFor();
    } finally {
      await admin.context.close();
    }
  });

  it('draws the actual closes over the forecast once they exist, with its accuracy', async () => {
    // The first forecast day (Oct 28, 2025) closed long ago: what is missing is newer stored prices.
    await page
      .getByText(
        'No actual closes to compare yet: prices are stored only through Oct 27, 2025. An admin can import or sync newer ones to score this forecast.',
      )
      .waitFor();
    // Ten more days of prices arrive (the same deterministic series, continued).
    await seedPrices(h.server.testDb.db, SYMBOL, START, HISTORY + 10, SEED);
    await page.reload();
    await page.getByText(/10 days known/).waitFor();
    await page.getByText('Actual close').waitFor();
    expect(await page.locator('.forecast-table thead').textContent()).toContain('Actual');
  });

  it('changes the note', async () => {
    const note = page.getByLabel('Note', { exact: true });
    expect(await note.inputValue()).toBe(NOTE);
    await note.fill('reviewed: too optimistic');
    await page.getByRole('button', { name: 'Save note' }).click();
    await page.getByText('Saved').waitFor();
    await page.reload();
    await page.getByRole('heading', { name: `Forecast #${forecastId}` }).waitFor();
    expect(await page.getByLabel('Note', { exact: true }).inputValue()).toBe('reviewed: too optimistic');
  });

  it('deletes it after confirmation', async () => {
    await page.getByRole('button', { name: 'Delete forecast' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText(`Delete forecast #${forecastId}?`).waitFor();
    // Cancelling keeps it.
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: 'Delete forecast' }).click();
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await page.waitForURL(/\/forecasts\?deleted=1$/);
    await page.getByRole('heading', { name: 'My forecasts' }).waitFor();

    await page.goto(`/forecasts/${forecastId}`);
    await page.getByText(`Forecast ${forecastId} not found`).waitFor();
  });

  it('lists the models with their backtest in plain words', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Models' }).click();
    await page.getByRole('heading', { name: 'Models', level: 1 }).waitFor();
    const eth = page.getByRole('region', { name: SYMBOL });
    await eth.getByRole('heading', { name: SYMBOL, level: 2 }).waitFor();
    expect(await eth.getByRole('heading', { name: /^naive/, level: 3 }).count()).toBe(1);
    expect(await eth.getByRole('heading', { name: /^drift/, level: 3 }).count()).toBe(1);
  });

  it('signs out', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/sign-in$/);
    await page.goto('/forecasts');
    await page.waitForURL(/\/sign-in\?next=%2Fforecasts/);
  });
});
