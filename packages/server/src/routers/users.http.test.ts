import { createEthcastClient, TRPCClientError } from '@ethcast/client';
import superjson from 'superjson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppRouter } from '../router.ts';
import { createActor, testServices } from '../test/actors.ts';
import { createTestDb, testEngine } from '../test/db.ts';
import { startTestServer, type TestServer } from '../test/server.ts';
import { spawnServerProcess } from '../test/server-process.ts';

async function post(
  server: TestServer,
  path: string,
  input: unknown,
  raw?: string,
  headers: Record<string, string> = {},
) {
  const response = await fetch(`${server.url}/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: raw ?? JSON.stringify(superjson.serialize(input)),
  });
  return { status: response.status, text: await response.text(), headers: response.headers };
}

async function get(server: TestServer, path: string, input: unknown, headers: Record<string, string> = {}) {
  const query = encodeURIComponent(JSON.stringify(superjson.serialize(input)));
  const response = await fetch(`${server.url}/trpc/${path}?input=${query}`, { headers });
  return { status: response.status, text: await response.text() };
}

describe(`users over HTTP (${testEngine})`, () => {
  let server: TestServer;
  let adminToken: string;
  beforeAll(async () => {
    server = await startTestServer();
    adminToken = (await createActor(testServices(server.testDb), 'http_admin', 'admin')).token;
  });
  afterAll(() => server?.stop());

  it('login sets an httpOnly SameSite=Lax session cookie that authenticates, and logout clears it', async () => {
    await server.client().users.register.mutate({ username: 'cookie_user', password: 'cookie-password' });
    const login = await post(server, 'users.login', { username: 'cookie_user', password: 'cookie-password' });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^ethcast_session=[A-Za-z0-9_-]+;/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i); // test config is not production
    const pair = cookie.split(';')[0] ?? '';
    const me = await get(server, 'users.me', undefined, { cookie: pair });
    expect(me.status).toBe(200);
    expect(me.text).toContain('cookie_user');
    const logout = await post(server, 'users.logout', undefined, undefined, {
      cookie: pair,
      origin: server.url,
    });
    expect(logout.headers.get('set-cookie')).toMatch(/ethcast_session=;/);
    expect((await get(server, 'users.me', undefined, { cookie: pair })).status).toBe(401);
  });

  it('the typed client logs in with a bearer token', async () => {
    await server.client().users.register.mutate({ username: 'token_user', password: 'token-password' });
    const { token, expiresAt, user } = await server
      .client()
      .users.login.mutate({ username: 'token_user', password: 'token-password' });
    expect(expiresAt).toBeInstanceOf(Date);
    const me = await server.client(token).users.me.query();
    expect(me).toMatchObject({ id: user.id, username: 'token_user', role: 'user' });
    expect(me.createdAt).toBeInstanceOf(Date);
  });

  it('the client batches calls of one tick into one request, or sends one request each with batch: false', async () => {
    const counting = () => {
      const urls: string[] = [];
      const fetchCounting: typeof fetch = (input, init) => {
        urls.push(String(input instanceof Request ? input.url : input));
        return fetch(input, init);
      };
      return { urls, fetchCounting };
    };
    const batched = counting();
    const single = counting();
    const calls = (batch: boolean, f: typeof fetch) => {
      const client = createEthcastClient({ url: server.url, fetch: f, batch });
      return Promise.all([client.health.query(), client.health.query(), client.health.query()]);
    };
    const [a, b] = await Promise.all([
      calls(true, batched.fetchCounting),
      calls(false, single.fetchCounting),
    ]);
    expect(a.map((h) => h.status)).toEqual(['ok', 'ok', 'ok']);
    expect(b.map((h) => h.status)).toEqual(['ok', 'ok', 'ok']);
    expect(batched.urls).toHaveLength(1);
    expect(batched.urls[0]).toContain('health,health,health');
    expect(single.urls).toHaveLength(3);
  });

  it('an unknown user and a wrong password get the same answer', async () => {
    await server.client().users.register.mutate({ username: 'same_answer', password: 'right-password' });
    const wrong = await post(server, 'users.login', { username: 'same_answer', password: 'wrong-password' });
    const unknown = await post(server, 'users.login', {
      username: 'no_such_user',
      password: 'wrong-password',
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const strip = (t: string) => t.replace(/"path":"[^"]*"/, '');
    expect(strip(wrong.text)).toBe(strip(unknown.text));
  });

  const malformed: [string, 'get' | 'post', unknown, RegExp][] = [
    ['users.register', 'post', { username: 123, password: 'long-enough' }, /"username"/],
    ['users.register', 'post', { username: 'a'.repeat(100_000), password: 'long-enough' }, /"username"/],
    ['users.register', 'post', { username: 'bad name!', password: 'long-enough' }, /may contain only/],
    ['users.register', 'post', { username: 'okname', password: 'short' }, /at least 8 bytes/],
    ['users.register', 'post', { username: 'okname', password: 'é'.repeat(37) }, /at most 72 bytes/],
    [
      'users.register',
      'post',
      { username: 'okname', password: 'long-enough', role: 'admin' },
      /Unrecognized key/,
    ],
    ['users.register', 'post', null, /Invalid input/],
    ['users.login', 'post', { username: ['x'], password: 'p' }, /"username"/],
    ['users.byId', 'get', { id: -1 }, /must be positive/],
    ['users.byId', 'get', { id: 1.5 }, /must be an integer/],
    ['users.byId', 'get', { id: '1' }, /must be a number/],
    ['users.byId', 'get', { id: 2 ** 60 }, /too large/],
    ['users.list', 'get', { limit: 10_000 }, /"limit"/],
    ['users.list', 'get', { limit: 10, extra: 1 }, /Unrecognized key/],
    ['logs.list', 'get', { from: 'yesterday' }, /must be a date/],
    ['logs.list', 'get', { from: new Date('2026-02-01'), to: new Date('2026-01-01') }, /must not be after/],
    ['logs.update', 'post', { id: 1, usernameLog: 'x', action: 'y'.repeat(101) }, /at most 100/],
    ['users.update', 'post', { id: 1, role: 'superuser' }, /"role"/],
  ];

  it.each(malformed)('%s (%s) %j → BAD_REQUEST with field errors', async (path, method, input, message) => {
    const auth = { authorization: `Bearer ${adminToken}` };
    const response =
      method === 'get'
        ? await get(server, path, input, auth)
        : await post(server, path, input, undefined, auth);
    expect(response.status).toBe(400);
    expect(response.text).toContain('BAD_REQUEST');
    expect(response.text).toMatch(message);
    expect(response.text).not.toMatch(/\bat .+:\d+:\d+|stack|select |insert into/i);
  });

  it('answers a non-JSON body with 400 and an oversized body with 413, never 500', async () => {
    const broken = await post(server, 'users.register', undefined, '{"json": {username');
    expect(broken.status).toBe(400);
    const huge = await post(
      server,
      'users.register',
      undefined,
      JSON.stringify({ json: { username: 'x'.repeat(2_000_000) } }),
    );
    expect(huge.status).toBe(413);
  });

  it('the client surfaces field errors for forms', async () => {
    const error = await server
      .client()
      .users.register.mutate({ username: 'x', password: 'short' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCClientError);
    const data = (error as TRPCClientError<AppRouter>).data;
    expect(data?.code).toBe('BAD_REQUEST');
    expect(Object.keys(data?.fieldErrors ?? {}).sort()).toEqual(['password', 'username']);
  });
});

describe.skipIf(testEngine !== 'postgres')(
  'login throttling across two server processes (PostgreSQL)',
  () => {
    it('5 failures spread over two processes lock the username on both', async () => {
      const testDb = await createTestDb();
      const url = testDb.url ?? '';
      const first = await startTestServer({}, { testDb });
      const second = spawnServerProcess({ DATABASE_URL: url });
      try {
        const secondUrl = await second.ready;
        const a = first.client();
        const b = createEthcastClient({ url: secondUrl });
        await a.users.register.mutate({ username: 'twoproc', password: 'twoproc-password' });
        const attempt = (client: typeof a, password: string) =>
          client.users.login.mutate({ username: 'twoproc', password }).then(
            () => 'ok',
            (e: TRPCClientError<never>) => (e.data as { code: string } | undefined)?.code,
          );
        const sequence = [a, b, a, b, a];
        for (const client of sequence) expect(await attempt(client, 'wrong-password')).toBe('UNAUTHORIZED');
        expect(await attempt(b, 'twoproc-password')).toBe('TOO_MANY_REQUESTS');
        expect(await attempt(a, 'twoproc-password')).toBe('TOO_MANY_REQUESTS');
      } finally {
        await second.stop();
        await first.stop();
        await testDb.close();
      }
    });
  },
);
