import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumArgs, chromiumPath, hasChromium } from './test/chromium.ts';
import { startTestServer, type TestServer } from './test/server.ts';

if (!hasChromium)
  console.warn(`security-headers.test.ts: browser checks skipped, no Chromium at ${chromiumPath}`);

/** The directives of a Content-Security-Policy header, by name. */
function directives(policy: string | null): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const part of (policy ?? '').split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) out[name.toLowerCase()] = values;
  }
  return out;
}

/** Opens `url` and collects every CSP violation the page reports (events and console errors). */
async function violationsOn(page: Page, url: string, ready: (page: Page) => Promise<void>) {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/content security policy/i.test(message.text())) violations.push(message.text());
  });
  await page.exposeFunction('reportCspViolation', (text: string) => violations.push(text));
  // as text: this package is compiled without the DOM types
  await page.addInitScript({
    content: `document.addEventListener('securitypolicyviolation', (event) =>
      window.reportCspViolation(event.violatedDirective + ': ' + event.blockedURI));`,
  });
  await page.goto(url);
  await ready(page);
  return violations;
}

describe('security headers', () => {
  let server: TestServer;
  let dashboard: string;
  beforeAll(async () => {
    // a stand-in for the built dashboard: the headers do not depend on its content
    dashboard = await mkdtemp(join(tmpdir(), 'ethcast-dashboard-'));
    await mkdir(join(dashboard, 'assets'));
    await writeFile(join(dashboard, 'index.html'), '<!doctype html><title>Ethcast</title>');
    await writeFile(join(dashboard, 'assets', 'app.js'), 'console.log(1)');
    server = await startTestServer({}, { dashboardDir: dashboard });
  });
  afterAll(async () => {
    await server?.stop();
    if (dashboard) await rm(dashboard, { recursive: true, force: true });
  });

  const pages: [string, Record<string, string>][] = [
    ['/', { accept: 'text/html' }],
    ['/forecasts/12', { accept: 'text/html' }],
    ['/assets/app.js', {}],
    ['/docs', {}],
    ['/docs/static/swagger-ui.css', {}],
    ['/openapi.json', {}],
    ['/health', {}],
    ['/trpc/health', {}],
    ['/api/health', {}],
    ['/no/such/path', {}],
  ];

  for (const [path, headers] of pages) {
    it(`${path}: CSP with frame-ancestors 'none', nosniff, Referrer-Policy, X-Frame-Options`, async () => {
      const response = await fetch(`${server.url}${path}`, { headers });
      const csp = directives(response.headers.get('content-security-policy'));
      expect(csp['frame-ancestors']).toEqual(["'none'"]);
      expect(csp['default-src']).toEqual(["'self'"]);
      expect(csp['object-src']).toEqual(["'none'"]);
      // nothing from other hosts: the pages work offline
      for (const values of Object.values(csp)) {
        for (const value of values) expect(value).not.toMatch(/^(https?:|\*|[a-z0-9.-]+\.[a-z]{2,})/i);
      }
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
    });
  }

  it('the dashboard runs no inline script or style', async () => {
    const csp = directives(
      (await fetch(`${server.url}/`, { headers: { accept: 'text/html' } })).headers.get(
        'content-security-policy',
      ),
    );
    expect(csp['script-src']).toEqual(["'self'"]);
    expect(csp['style-src']).toEqual(["'self'"]);
  });

  describe.skipIf(!hasChromium)('in Chromium', () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await chromium.launch({
        executablePath: chromiumPath,
        args: chromiumArgs,
      });
    });
    afterAll(async () => {
      await browser?.close();
    });

    it('/docs renders under its policy with no violation', async () => {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      const violations = await violationsOn(page, `${server.url}/docs`, async (p) => {
        await p.locator('.swagger-ui .info .title').getByText('Ethcast API').waitFor({ timeout: 60_000 });
        const root = p.locator('#operations-legacy-getRoot');
        await root.locator('.opblock-summary').click();
        await root.getByRole('button', { name: 'Try it out' }).click();
        await root.getByRole('button', { name: 'Execute' }).click();
        await root.locator('.response .response-col_status').getByText('200').first().waitFor();
      });
      expect(violations).toEqual([]);
      expect(errors).toEqual([]);
      await page.close();
    });

    it('a page of this server cannot be framed by another site', async () => {
      const page = await browser.newPage();
      const blocked: string[] = [];
      page.on('console', (message) => {
        if (/frame-ancestors|refused to (display|frame)/i.test(message.text())) blocked.push(message.text());
      });
      // a page on another origin (127.0.0.2 is another site to the browser) framing the dashboard
      await page.setContent(`<iframe src="${server.url}/docs"></iframe>`);
      await expect.poll(() => blocked.length, { timeout: 30_000 }).toBeGreaterThan(0);
      await page.close();
    });
  });
});
