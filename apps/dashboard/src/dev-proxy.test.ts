import { join } from 'node:path';
import { createActor, startTestServer, TEST_PASSWORD, type TestServer } from '@ethcast/server/test';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appDir } from '../e2e/build.ts';
import { freePort } from '../e2e/dev-process.ts';

/**
 * The dashboard's Vite dev server (vite.config.ts, as `pnpm dev` starts it) in front of a real API:
 * what a browser's requests look like to the API once they went through the dev proxy. The browser
 * tests (e2e/dev-server.e2e.ts) run the whole `pnpm dev`; this is the same path without a browser.
 */
describe('the dev proxy (vite.config.ts)', () => {
  let api: TestServer;
  let vite: ViteDevServer;
  let origin: string;

  beforeAll(async () => {
    api = await startTestServer();
    await createActor(api.services, 'proxied_user');
    const port = await freePort();
    process.env.ETHCAST_API_URL = api.url;
    vite = await createServer({
      root: appDir,
      configFile: join(appDir, 'vite.config.ts'),
      logLevel: 'silent',
      server: { port, strictPort: true, hmr: false },
    });
    await vite.listen();
    origin = `http://127.0.0.1:${port}`;
  }, 60_000);
  afterAll(async () => {
    delete process.env.ETHCAST_API_URL;
    await vite?.close();
    await api?.stop();
  });

  const post = (path: string, headers: Record<string, string>, body: unknown = undefined) =>
    fetch(`${origin}/trpc/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body === undefined ? {} : { json: body }),
    });

  it(
    "lets the dashboard's own pages change things with the session cookie, and refuses other sites",
    {
      timeout: 60_000,
    },
    async () => {
      const login = await post(
        'users.login',
        { origin },
        { username: 'proxied_user', password: TEST_PASSWORD },
      );
      expect(login.status).toBe(200);
      const cookie = login.headers.getSetCookie().find((c) => c.startsWith('ethcast_session='));
      expect(cookie).toBeDefined();
      const session = (cookie ?? '').split(';', 1)[0] ?? '';
      const me = () => fetch(`${origin}/trpc/users.me`, { headers: { cookie: session } });
      expect((await me()).status).toBe(200);

      for (const other of [`http://127.0.0.1:${new URL(api.url).port}`, 'http://evil.example']) {
        const refused = await post('users.logout', { origin: other, cookie: session });
        expect(refused.status, other).toBe(403);
        expect(await refused.text()).toContain('CROSS_SITE_REQUEST');
      }
      expect((await me()).status).toBe(200);

      const logout = await post('users.logout', { origin, cookie: session });
      expect(logout.status, await logout.clone().text()).toBe(200);
      expect((await me()).status).toBe(401);
    },
  );
});
