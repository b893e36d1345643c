import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  createActor,
  recordFailedRun,
  scoreForecasts,
  seedPrices,
  TEST_PASSWORD,
} from '@ethcast/server/test';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  desktop,
  type Harness,
  openNav,
  phone,
  saveFailure,
  screenshotPath,
  settle,
  signIn,
  startHarness,
} from './harness.ts';
import { layoutProblems, outsideViewport } from './layout-checks.ts';

/**
 * Every signed-in page as an admin sees it, on a 1280 px desktop and a 390×844 phone, in English and
 * Brazilian Portuguese: nothing clipped or off-screen (checked on the boxes, not only looked at), and a
 * screenshot of each under <screenshot folder>/<screen>-<language>/ (harness.ts: screenshotDir).
 */
const ADMIN = 'admin_e2e';
const USER = 'ana.lima';
const START = '2025-01-01';
const DAYS = 400; // through 2026-02-04: enough history for every shipped model

const SYNC_ERROR =
  'ETH-USD: could not reach https://api.exchange.coinbase.com/products/ETH-USD/candles (fetch failed: getaddrinfo ENOTFOUND api.exchange.coinbase.com) after 3 attempts; BTC-USD: could not reach https://api.exchange.coinbase.com/products/BTC-USD/candles (fetch failed: getaddrinfo ENOTFOUND api.exchange.coinbase.com) after 3 attempts';

type Screen = { name: 'desktop' | 'phone'; viewport: { width: number; height: number } };
const screens: Screen[] = [
  { name: 'desktop', viewport: desktop },
  { name: 'phone', viewport: phone },
];
const languages = [
  {
    locale: 'en-US',
    code: 'en',
    nav: ['Forecast', 'My forecasts', 'Models', 'Track record', 'Users', 'Audit log', 'Jobs', 'Settings'],
  },
  {
    locale: 'pt-BR',
    code: 'pt-BR',
    nav: [
      'Previsão',
      'Minhas previsões',
      'Modelos',
      'Histórico de acertos',
      'Usuários',
      'Registro de auditoria',
      'Tarefas',
      'Configurações',
    ],
  },
] as const;

async function shoot(page: Page, folder: string, name: string) {
  const path = screenshotPath(`${folder}/${name}.png`);
  await mkdir(dirname(path), { recursive: true });
  // a focus ring left by the test's own keyboard steps is not part of the page
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await settle(page);
  await page.screenshot({ path, fullPage: true });
}

async function expectLaidOut(page: Page, where: string) {
  expect(await layoutProblems(page), where).toEqual([]);
}

describe('dashboard on a desktop and a phone, in English and Portuguese', () => {
  let h: Harness;
  let forecastId = 0;

  beforeAll(async () => {
    h = await startHarness();
    const db = h.server.testDb.db;
    await seedPrices(db, 'BTC-USD', START, DAYS, 3);
    // a track record: a week-ahead naive and drift forecast on each of the last 35 days, as the days
    // arrive, then scored (as the score-forecasts job does) once the prices are in. Made first, so the
    // audit log's newest page holds the accounts and forecasts the tests below look for.
    const served = h.server.client((await createActor(h.server.services, 'served_forecasts')).token);
    for (let day = DAYS - 35; day < DAYS; day++) {
      await seedPrices(db, 'ETH-USD', START, day, 7);
      for (const model of ['naive', 'drift']) {
        await served.predicts.create.mutate({ symbol: 'ETH-USD', model, days: 7 });
      }
    }
    await seedPrices(db, 'ETH-USD', START, DAYS, 7);
    await scoreForecasts(db);
    await createActor(h.server.services, ADMIN, 'admin');
    // a failed sync as an operator meets one: the newest run of sync-prices, with the job's own words
    // and, as the engine records them, a reason code and params for each failing symbol
    await recordFailedRun(db, 'sync-prices', SYNC_ERROR, ADMIN, [
      { symbol: 'ETH-USD', reason: 'EXCHANGE_UNREACHABLE', params: { symbol: 'ETH-USD' } },
      { symbol: 'BTC-USD', reason: 'EXCHANGE_UNREACHABLE', params: { symbol: 'BTC-USD' } },
    ]);
    const user = await createActor(h.server.services, USER);
    // some history for the tables: a user's forecasts
    const api = h.server.client(user.token);
    for (const model of ['naive', 'drift']) {
      const made = await api.predicts.create.mutate({
        symbol: 'ETH-USD',
        model,
        days: 7,
        note: `${model} week`,
      });
      forecastId = made.id;
    }
  });
  afterAll(async () => {
    await h?.close();
  });

  for (const language of languages) {
    for (const screen of screens) {
      describe(`${screen.name} (${screen.viewport.width}×${screen.viewport.height}), ${language.code}`, () => {
        const folder = `${screen.name}-${language.code}`;
        let context: BrowserContext;
        let page: Page;
        let current = '';
        /** Opens `path` as the screen `name` (named in a failure's screenshot). */
        const open = async (name: string, path: string) => {
          current = name;
          await page.goto(path);
        };
        /** Every element of the screen laid out, then its screenshot as `shot`. */
        const laidOutAndShot = async (where: string, shot: string) => {
          await expectLaidOut(page, where);
          await shoot(page, folder, shot);
        };

        beforeAll(async () => {
          ({ context, page } = await h.newPage(screen.viewport, language.locale));
          await signIn(page, ADMIN, TEST_PASSWORD);
          expect(await page.locator('html').getAttribute('lang')).toBe(language.code);
        });
        afterEach(async (ctx) => {
          await saveFailure(page, { ...ctx.task, name: `${folder} ${current}` });
        });
        afterAll(async () => {
          await context?.close();
        });

        it('shows every nav link whole: in one row on the desktop, in a menu on the phone', async () => {
          await open('nav', '/settings');
          await page.locator('main h1').waitFor();
          const menu = page.locator('header .menu-button');
          expect(await menu.isVisible()).toBe(screen.name === 'phone');
          // at 1280 px an admin's eight links (with Track record and Jobs) get a row of their own in
          // both languages; the widths test below shows the one-row layout on a wider screen
          const layout = screen.name === 'phone' ? 'menu' : 'two-rows';
          expect(await page.locator('header.topbar').getAttribute('class')).toContain(`topbar-${layout}`);
          const nav = await openNav(page);
          const names = (await nav.getByRole('link').allTextContents()).map((s) => s.trim());
          expect(names).toEqual([...language.nav]);
          expect(await outsideViewport(page, 'header nav.nav a', 'xy')).toEqual([]);
          await expectLaidOut(page, 'nav');
          if (screen.name === 'phone') {
            // the account controls sit in the menu too
            await page
              .locator('.menu-panel')
              .getByRole('button', { name: /Sign out|Sair/ })
              .waitFor();
            await shoot(page, folder, 'menu');
            await page.keyboard.press('Escape');
            await page.locator('.menu-panel').waitFor({ state: 'hidden' });
            expect(await menu.evaluate((el) => el === document.activeElement)).toBe(true);
            // a link in the menu navigates and closes it
            await (await openNav(page)).getByRole('link', { name: language.nav[2] }).click();
            await page.waitForURL(/\/models$/);
            await page.locator('.menu-panel').waitFor({ state: 'hidden' });
          }
        });

        it('forecast page, with a forecast made', async () => {
          await open('forecast', '/');
          await page.locator('form.forecast-form select').nth(1).waitFor();
          await page.locator('input[type="number"]').fill('14');
          await page.locator('form.forecast-form button[type="submit"]').click();
          await page.locator('.forecast-table tbody tr').nth(13).waitFor();
          await page.locator('.chart canvas').first().waitFor();
          // the symbol list starts with ETH-USD
          expect(
            await page.locator('form.forecast-form select').first().locator('option').allTextContents(),
          ).toEqual(['ETH-USD', 'BTC-USD']);
          await laidOutAndShot('forecast', 'forecast');
        });

        it('history page', async () => {
          await open('history', '/forecasts');
          await page.locator('tbody tr').first().waitFor();
          await laidOutAndShot('history', 'history');
        });

        it('forecast detail page', async () => {
          await open('detail', `/forecasts/${forecastId}`);
          await page.locator('.forecast-table tbody tr').first().waitFor();
          await laidOutAndShot('detail', 'forecast-detail');
        });

        it('models page: ETH-USD first, kinds translated, the backtest source stated', async () => {
          await open('models', '/models');
          await page.locator('.model-card').first().waitFor();
          expect(await page.locator('h2.symbol-heading').allTextContents()).toEqual(['ETH-USD', 'BTC-USD']);
          const eth = page.getByRole('region', { name: 'ETH-USD' });
          const lstm = eth.locator('.model-card', { has: page.getByRole('heading', { name: /^lstm/ }) });
          const naive = eth.locator('.model-card', { has: page.getByRole('heading', { name: /^naive/ }) });
          const lstmText = (await lstm.textContent()) ?? '';
          const naiveText = (await naive.textContent()) ?? '';
          // said once under the symbol: every ETH-USD model was scored in the same backtest
          const source = (await eth.locator('h2 + .backtest-source').textContent()) ?? '';
          if (language.code === 'en') {
            expect(lstmText).toContain('neural network');
            expect(naiveText).toContain('baseline');
            expect(source).toContain('Backtest from Apr 1, 2025 to Mar 31, 2026');
            expect(source).toContain('by models trained only on prices through Mar 31, 2025');
            expect(lstmText).toContain('The version in use was trained on prices through Mar 31, 2026');
            expect(naiveText).toContain('This is persistence');
            expect(naiveText).not.toMatch(/as accurate as persistence|than persistence/);
          } else {
            expect(lstmText).toContain('rede neural');
            expect(naiveText).toContain('referência');
            expect(source).toContain('Backtest de 1 de abr. de 2025 a 31 de mar. de 2026');
            expect(source).toContain('treinados só com preços até 31 de mar. de 2025');
            expect(naiveText).toContain('Este modelo é a persistência');
            expect(naiveText).not.toMatch(/que o da persistência|Quase tão preciso/);
          }
          await laidOutAndShot('models', 'models');
        });

        it('track record page: per model and days ahead, too few origins said plainly', async () => {
          await open('track-record', '/track-record');
          await page.locator('.track-card').nth(1).waitFor();
          const cards = page.locator('.track-card');
          expect(await cards.locator('h2').allTextContents()).toEqual(['drift', 'naive']);
          const naive = cards.nth(1);
          // all days pooled, then days 1..7 ahead
          expect(await naive.locator('tbody tr').count()).toBe(8);
          const text = (await naive.textContent()) ?? '';
          if (language.code === 'en') {
            expect(text).toContain('35 starting days');
            expect(text).toContain('About as accurate as persistence on the same days.');
          } else {
            expect(text).toContain('35 dias de partida');
            expect(text).toContain('Quase tão preciso quanto a persistência nos mesmos dias.');
          }
          expect(await naive.locator('svg circle').count()).toBe(2);
          await laidOutAndShot('track-record', 'track-record');
        });

        it('jobs page: each job with its schedule and last run', async () => {
          await open('jobs', '/admin/jobs');
          await page.locator('tbody tr').nth(2).waitFor();
          expect(await page.locator('tbody td.job-name code').allTextContents()).toEqual([
            'sync-prices',
            'score-forecasts',
            'recalibrate',
          ]);
          // The failed sync's error is readable: a wide block, not a narrow column that makes the row
          // as tall as a screen; in the reader's language, by the run's reason codes (one per symbol).
          const error = page.locator('.jobs-table td.error-cell');
          expect(await error.allTextContents()).toEqual([
            language.code === 'en'
              ? 'Error: The exchange did not answer for ETH-USD; nothing was stored · The exchange did not answer for BTC-USD; nothing was stored'
              : 'Erro: A corretora não respondeu para ETH-USD; nada foi gravado · A corretora não respondeu para BTC-USD; nada foi gravado',
          ]);
          expect(await error.locator('[lang="en"]').count()).toBe(0);
          const box = await error.boundingBox();
          const row = await page
            .locator('tbody tr', { has: page.locator('td.job-name', { hasText: 'sync-prices' }) })
            .boundingBox();
          expect(box?.width, 'error text width').toBeGreaterThanOrEqual(
            Math.min(560, screen.viewport.width - 80),
          );
          expect(row?.height, 'sync-prices row height').toBeLessThan(screen.name === 'desktop' ? 220 : 700);
          await laidOutAndShot('jobs', 'jobs');
        });

        it('users page: every Delete button on screen', async () => {
          await open('users', '/admin/users');
          await page.locator('tbody tr').nth(1).waitFor();
          expect(await outsideViewport(page, 'tbody td.actions button')).toEqual([]);
          expect(await page.locator('tbody td.actions button').count()).toBe(3);
          await laidOutAndShot('users', 'users');
        });

        it('audit log: actions translated, Edit and Delete on screen', async () => {
          await open('logs', '/admin/logs');
          await page.locator('tbody tr').nth(3).waitFor();
          const actions = await page.locator('tbody tr td[data-label]:nth-child(5)').allTextContents();
          if (language.code === 'en') {
            expect(actions).toContain('user registered');
            expect(actions).toContain('predict success with model naive');
          } else {
            expect(actions).toContain('usuário cadastrado');
            expect(actions).toContain('previsão feita com o modelo naive');
            expect(actions).not.toContain('user registered');
          }
          const buttons = page.locator('tbody td.actions button');
          expect(await buttons.count()).toBeGreaterThan(3);
          expect(await outsideViewport(page, 'tbody td.actions button')).toEqual([]);
          await laidOutAndShot('logs', 'audit-log');
          // the edit form of a row fits as well
          await buttons.first().click();
          const form = page.locator('tr.editing form');
          await form.waitFor();
          await expectLaidOut(page, 'logs, editing a row');
          expect(await outsideViewport(page, 'tr.editing button')).toEqual([]);
          if (screen.name === 'phone') {
            await form.scrollIntoViewIfNeeded();
            await page.screenshot({ path: screenshotPath(`${folder}/audit-log-editing.png`) });
          }
          await form.locator('button[type="button"]').click();
          await form.waitFor({ state: 'detached' });
        });

        it('settings page: the language named as in the header', async () => {
          await open('settings', '/settings');
          await page.locator('main select').first().waitFor();
          const inSettings = await page.locator('main select').first().locator('option').allTextContents();
          await openNav(page);
          const inHeader = await page.locator('header .language-select option').allTextContents();
          expect(inHeader).toEqual(inSettings);
          expect(inSettings).toEqual(['English', 'Português (Brasil)']);
          if (screen.name === 'phone') await page.keyboard.press('Escape');
          await laidOutAndShot('settings', 'settings');
        });
      });
    }
  }

  it('sign-in and registration pages fit a phone in both languages', async () => {
    for (const language of languages) {
      const { context, page } = await h.newPage(phone, language.locale);
      try {
        for (const [path, name] of [
          ['/sign-in', 'sign-in'],
          ['/register', 'register'],
        ] as const) {
          await page.goto(path);
          await page.locator('form button[type="submit"]').waitFor();
          expect(await layoutProblems(page), `${language.code} ${path}`).toEqual([]);
          await shoot(page, `phone-${language.code}`, name);
        }
      } finally {
        await context.close();
      }
    }
  });

  it('never clips the header at any width: one row, then links on their own row, then a menu', async () => {
    const { context, page } = await h.newPage(desktop, 'pt-BR');
    try {
      await signIn(page, ADMIN, TEST_PASSWORD);
      await page.goto('/admin/logs');
      await page.locator('tbody tr').first().waitFor();
      const order = ['row', 'two-rows', 'menu'];
      let previous = 0;
      for (const width of [1600, 1280, 1100, 1000, 900, 800, 700, 600, 500, 390, 360, 320]) {
        await page.setViewportSize({ width, height: 844 });
        await settle(page);
        const layout =
          /topbar-(row|two-rows|menu)/.exec(
            (await page.locator('header.topbar').getAttribute('class')) ?? '',
          )?.[1] ?? '';
        expect(order.indexOf(layout), `${width}px: ${layout}`).toBeGreaterThanOrEqual(previous);
        previous = order.indexOf(layout);
        if (layout !== 'menu')
          expect(await outsideViewport(page, 'header nav.nav a', 'xy'), `${width}px`).toEqual([]);
        expect(await layoutProblems(page), `${width}px`).toEqual([]);
      }
      expect(previous).toBe(order.indexOf('menu'));
      // and back: widening the window brings the links out of the menu
      await page.setViewportSize(desktop);
      await settle(page);
      expect(await page.locator('header.topbar').getAttribute('class')).toContain('topbar-two-rows');
    } finally {
      await context.close();
    }
  });
});
