import { createActor, TEST_PASSWORD } from '@ethcast/server/test';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { desktop, type Harness, harnessPerFile, signIn } from './harness.ts';

const USER = 'e2e_user';
const ADMIN = 'admin_e2e';

describe('dashboard: accounts and admin', () => {
  let h: Harness;
  let page: Page;

  harnessPerFile(desktop, (opened) => {
    ({ h, page } = opened);
  });

  it('sends a signed-out visitor to sign in', async () => {
    await page.goto('/forecasts');
    await page.waitForURL(/\/sign-in\?next=%2Fforecasts/);
    await expect(page.getByRole('heading', { name: 'Sign in to Ethcast' }).isVisible()).resolves.toBe(true);
  });

  it('shows the server field errors next to the fields, then registers', async () => {
    await page.getByRole('link', { name: 'Create account' }).click();
    const password = page.getByLabel('Password', { exact: true });
    const repeat = page.getByLabel('Repeat password', { exact: true });
    // The hint counts what the server counts: bytes, not characters.
    expect(await page.locator('.field', { has: password }).locator('.hint').textContent()).toContain(
      '8 to 72 bytes',
    );
    await page.getByLabel('Username').fill('ab');
    await password.fill('short');
    await repeat.fill('short');
    await page.getByRole('button', { name: 'Create account' }).click();
    const usernameError = page
      .locator('.field', { has: page.getByLabel('Username') })
      .locator('.field-error');
    await usernameError.waitFor();
    expect(await usernameError.textContent()).toContain('at least 3 characters');
    const passwordError = page.locator('.field', { has: password }).locator('.field-error');
    expect(await passwordError.textContent()).toContain('at least 8 bytes');
    expect(await page.getByLabel('Username').getAttribute('aria-invalid')).toBe('true');

    // A mistyped repetition is caught before anything is sent.
    await page.getByLabel('Username').fill(USER);
    await password.fill(TEST_PASSWORD);
    await repeat.fill(`${TEST_PASSWORD}x`);
    const sent: string[] = [];
    const onRequest = (request: { url(): string }) => {
      if (request.url().includes('users.register')) sent.push(request.url());
    };
    page.on('request', onRequest);
    await page.getByRole('button', { name: 'Create account' }).click();
    const repeatError = page.locator('.field', { has: repeat }).locator('.field-error');
    await repeatError.waitFor();
    expect(await repeatError.textContent()).toContain('The two passwords differ');
    expect(await repeat.getAttribute('aria-invalid')).toBe('true');
    page.off('request', onRequest);
    expect(sent).toEqual([]);

    await repeat.fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(/\/sign-in\?registered=1/);
    expect(await page.getByLabel('Username').inputValue()).toBe(USER);
  });

  it('refuses a wrong password with a clear message and signs in with the right one', async () => {
    await page.getByLabel('Password').fill('wrong-password-1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('Wrong username or password');
    expect(new URL(page.url()).pathname).toBe('/sign-in');

    // With the keyboard only: the username field is the first stop, Enter submits.
    await page.goto('/sign-in');
    await page.getByLabel('Username').waitFor();
    await page.keyboard.press('Tab');
    const focused = () =>
      page.evaluate(() => {
        const el = document.activeElement;
        return el ? `${el.tagName.toLowerCase()} ${el.getAttribute('autocomplete') ?? el.textContent}` : null;
      });
    expect(await focused()).toBe('input username');
    await page.keyboard.type(USER);
    await page.keyboard.press('Tab');
    await page.keyboard.type(TEST_PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    expect(await page.locator('.who').textContent()).toContain(USER);

    // In the signed-in layout the first Tab reaches the skip link.
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('a Skip to content');
  });

  it('labels every form field', async () => {
    for (const path of ['/', '/settings', '/forecasts', '/models']) {
      await page.goto(path);
      await page.getByRole('navigation', { name: 'Main' }).waitFor();
      await page.locator('h1').waitFor();
      const unlabelled = await page.evaluate(() =>
        [...document.querySelectorAll<HTMLInputElement>('input, select, textarea')]
          .filter((el) => el.labels?.length === 0 && !el.getAttribute('aria-label'))
          .map((el) => el.outerHTML),
      );
      expect(unlabelled, path).toEqual([]);
    }
  });

  it('keeps a user out of the admin pages', async () => {
    const nav = page.getByRole('navigation', { name: 'Main' });
    expect(await nav.getByRole('link', { name: 'Audit log' }).count()).toBe(0);
    expect(await nav.getByRole('link', { name: 'Users' }).count()).toBe(0);
    for (const path of ['/admin/users', '/admin/logs']) {
      await page.goto(path);
      await page.getByRole('heading', { name: 'Admins only' }).waitFor();
      expect(await page.locator('table').count()).toBe(0);
    }
  });

  it('switches to Brazilian Portuguese and back', async () => {
    await page.goto('/settings');
    await page.getByLabel('Language', { exact: true }).first().selectOption('pt-BR');
    await page.getByRole('heading', { name: 'Configurações' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('pt-BR');
    await page.getByLabel('Idioma', { exact: true }).first().selectOption('en');
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
  });

  it('signs out, after which pages need a sign-in again', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/sign-in$/);
    await page.goto('/models');
    await page.waitForURL(/\/sign-in\?next=%2Fmodels/);
  });

  it('lets an admin see the new log rows, filter, edit and delete them, and manage users', async () => {
    await createActor(h.server.services, ADMIN, 'admin');
    await signIn(page, ADMIN, TEST_PASSWORD);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    const table = page.locator('table');
    await table.waitFor();
    const text = (await table.textContent()) ?? '';
    expect(text).toContain('user registered');
    expect(text).toContain('login failed');
    expect(text).toContain('login success');
    expect(text).toContain('logout');

    // Filter by user and action.
    await page.getByLabel('Username').fill(USER);
    await page.getByLabel('Action contains').fill('login');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForFunction(
      () => !document.querySelector('table')?.textContent?.includes('user registered'),
    );
    const rows = page.locator('tbody tr');
    expect(await rows.count()).toBe(2);
    for (const row of await rows.all()) expect(await row.textContent()).toContain(USER);

    // Edit the failed-login row.
    const failed = page.locator('tbody tr', { hasText: 'login failed' });
    await failed.getByRole('button', { name: /^Edit log row/ }).click();
    const form = page.locator('tr.editing');
    await form.getByLabel('Action').fill('login failed (reviewed)');
    await form.getByRole('button', { name: 'Save' }).click();
    await page.locator('tbody tr', { hasText: 'login failed (reviewed)' }).waitFor();

    // Delete it, confirming in the dialog.
    await page
      .locator('tbody tr', { hasText: 'login failed (reviewed)' })
      .getByRole('button', { name: /^Delete log row/ })
      .click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await page.locator('tbody tr', { hasText: 'login failed (reviewed)' }).waitFor({ state: 'detached' });

    // The edit and the delete were audited too.
    await page.getByRole('button', { name: 'Clear' }).click();
    await page
      .locator('tbody tr', { hasText: /log \d+ deleted/ })
      .first()
      .waitFor();
    expect(await page.locator('tbody tr', { hasText: /log \d+ edited/ }).count()).toBe(1);

    // Users: search, promote, delete.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
    await page.getByLabel('Search by username').fill('e2e_u');
    await page.locator('tbody tr').filter({ hasText: ADMIN }).waitFor({ state: 'detached' });
    await page.getByLabel(`Role of ${USER}`).selectOption('admin');
    await page.getByText(`${USER} is now admin.`).waitFor();
    await page.getByRole('button', { name: `Delete ${USER}` }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await page.getByText(`${USER} was deleted.`).waitFor();
    await page.getByText('No users match.').waitFor();
  });
});
