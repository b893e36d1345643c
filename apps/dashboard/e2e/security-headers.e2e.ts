import { createActor, seedPrices, TEST_PASSWORD } from '@ethcast/server/test';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { desktop, type Harness, harnessPerFile, openNav, signIn } from './harness.ts';

/**
 * The built dashboard under the server's Content-Security-Policy (packages/server/src/http-security.ts):
 * every screen renders with no violation reported by Chromium, charts included.
 */
describe('the dashboard under its Content-Security-Policy', () => {
  let h: Harness;
  let page: Page;
  const violations: string[] = [];
  harnessPerFile(desktop, (opened) => {
    ({ h, page } = opened);
    page.on('console', (message) => {
      if (/content security policy/i.test(message.text())) violations.push(message.text());
    });
    void page.exposeFunction('reportCspViolation', (text: string) => violations.push(text));
    void page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        (window as unknown as { reportCspViolation(text: string): void }).reportCspViolation(
          `${event.violatedDirective}: ${event.blockedURI}`,
        );
      });
    });
  });

  it('sends the policy and renders every screen without a violation', async () => {
    const db = h.server.testDb.db;
    await seedPrices(db, 'ETH-USD', '2025-01-01', 400, 7);
    await createActor(h.server.services, 'csp_admin', 'admin');

    const response = await page.goto('/sign-in');
    const csp = response?.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(response?.headers()['x-frame-options']).toBe('DENY');

    await signIn(page, 'csp_admin', TEST_PASSWORD);
    // a forecast, so that its chart is drawn
    await page.goto('/');
    await page.locator('form.forecast-form select').nth(1).waitFor();
    await page.locator('input[type="number"]').fill('7');
    await page.locator('form.forecast-form button[type="submit"]').click();
    await page.locator('.forecast-table tbody tr').nth(6).waitFor();
    await page.locator('.chart canvas').first().waitFor();
    const nav = await openNav(page);
    const links = await nav.getByRole('link').all();
    const hrefs = await Promise.all(links.map((link) => link.getAttribute('href')));
    for (const href of hrefs) {
      if (!href) continue;
      await page.goto(href);
      await page.locator('main').waitFor();
      await page.waitForLoadState('networkidle');
    }
    expect(hrefs.length).toBeGreaterThan(5);
    expect(violations).toEqual([]);
  });
});
