import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumArgs, chromiumPath, hasChromium } from '../test/chromium.ts';
import { startTestServer, type TestServer } from '../test/server.ts';

/** As the dashboard's browser tests: the ignored .tmp/screenshots, or docs/screenshots with UPDATE_SCREENSHOTS=1. */
const screenshotDir = fileURLToPath(
  new URL(
    process.env.UPDATE_SCREENSHOTS === '1'
      ? '../../../../docs/screenshots/'
      : '../../../../.tmp/screenshots/',
    import.meta.url,
  ),
);
if (!hasChromium) console.warn(`docs.test.ts: skipped, no Chromium at ${chromiumPath} (set CHROMIUM_PATH)`);

describe.skipIf(!hasChromium)('/docs in Chromium', () => {
  let server: TestServer;
  let profile: string;
  let context: BrowserContext;
  const requested: string[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    profile = await mkdtemp(join(tmpdir(), 'ethcast-docs-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath,
      args: chromiumArgs,
      viewport: { width: 1280, height: 1400 },
    });
    context.on('request', (request) => requested.push(request.url()));
  });
  afterAll(async () => {
    await context?.close().catch(() => {});
    await server?.stop();
    if (profile) await rm(profile, { recursive: true, force: true });
  });

  it('renders the reference, runs a request from it, and never leaves 127.0.0.1', async () => {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${server.url}/docs`);
    await page.locator('.swagger-ui .info .title').getByText('Ethcast API').waitFor({ timeout: 30_000 });
    const login = page.locator('#operations-users-postUsersLogin');
    await login.waitFor();
    await expect.poll(() => page.locator('.opblock').count(), { timeout: 20_000 }).toBeGreaterThan(30);

    // Interactive: "Try it out" on GET / answers from this server.
    const root = page.locator('#operations-legacy-getRoot');
    await root.locator('.opblock-summary').click();
    await root.getByRole('button', { name: 'Try it out' }).click();
    await root.getByRole('button', { name: 'Execute' }).click();
    await root.locator('.response .response-col_status').getByText('200').first().waitFor();
    await expect(root.locator('.responses-wrapper').innerText()).resolves.toContain('working');
    await root.locator('.opblock-summary').click();

    await login.locator('.opblock-summary').click();
    await login.locator('.opblock-body').waitFor();
    // Ethcast's name, no Fastify top bar, examples a person would write
    expect(await page.title()).toBe('Ethcast API reference');
    expect(await page.locator('.topbar').count()).toBe(0);
    const shown = await login.innerText();
    expect(shown).toContain('"id": 42');
    expect(shown).toContain('"created_at": "2026-03-31T21:39:00.000Z"');
    expect(shown).not.toMatch(/-9007199254740991|"string"/);
    await mkdir(screenshotDir, { recursive: true });
    await page.screenshot({ path: join(screenshotDir, 'api-docs.png') });

    expect(errors).toEqual([]);
    expect(requested.length).toBeGreaterThan(3);
    const origin = new URL(server.url).origin;
    expect(requested.filter((url) => new URL(url).origin !== origin && !url.startsWith('data:'))).toEqual([]);
    expect(requested.every((url) => url.startsWith('data:') || new URL(url).hostname === '127.0.0.1')).toBe(
      true,
    );
  });
});
