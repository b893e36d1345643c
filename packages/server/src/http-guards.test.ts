import { createEthcastClient } from '@ethcast/client';
import { describe, expect, it } from 'vitest';
import { createActor, TEST_PASSWORD, testServices } from './test/actors.ts';
import { testEngine } from './test/db.ts';
import { useTestServer } from './test/fixtures.ts';
import { getProcedure, postProcedure } from './test/http-calls.ts';
import type { TestServer } from './test/server.ts';

describe(`request guards (${testEngine})`, () => {
  let server: TestServer;
  let token: string;
  useTestServer(async (started, services) => {
    server = started;
    token = (await createActor(services, 'guard_user')).token;
  });

  const cookieLogin = async (username: string) => {
    await createActor(testServices(server.testDb), username);
    const login = await postProcedure(server.url, 'users.login', { username, password: TEST_PASSWORD });
    expect(login.status).toBe(200);
    return (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  };

  it('refuses a batch of 11 calls and serves a batch of 10', async () => {
    const batch = (n: number) => {
      const paths = Array.from({ length: n }, () => 'users.me').join(',');
      const input = Object.fromEntries(Array.from({ length: n }, (_, i) => [i, { json: null }]));
      const query = encodeURIComponent(JSON.stringify(input));
      return fetch(`${server.url}/trpc/${paths}?batch=1&input=${query}`, {
        headers: { authorization: `Bearer ${token}` },
      });
    };
    const eleven = await batch(11);
    expect(eleven.status).toBe(400);
    expect(await eleven.text()).toContain('Batch call exceeds maximum size');
    const ten = await batch(10);
    expect(ten.status).toBe(200);
    expect((await ten.json()) as unknown[]).toHaveLength(10);
  });

  it('the client splits 11 calls of one tick into batches the server accepts', async () => {
    const urls: string[] = [];
    const client = createEthcastClient({
      url: server.url,
      getToken: () => token,
      fetch: (input, init) => {
        urls.push(String(input instanceof Request ? input.url : input));
        return fetch(input, init);
      },
    });
    const answers = await Promise.all(Array.from({ length: 11 }, () => client.users.me.query()));
    expect(answers.every((me) => me.username === 'guard_user')).toBe(true);
    expect(urls).toHaveLength(2);
  });

  it('refuses 11 logins in one POST batch before evaluating any of them', async () => {
    const n = 11;
    const body = Object.fromEntries(
      Array.from({ length: n }, (_, i) => [
        i,
        { json: { username: 'guard_user', password: `wrong-${i}-pw` } },
      ]),
    );
    const response = await fetch(
      `${server.url}/trpc/${Array.from({ length: n }, () => 'users.login').join(',')}?batch=1`,
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
    );
    expect(response.status).toBe(400);
    // no attempt was evaluated, so the account is not locked: the right password still works
    const login = await postProcedure(server.url, 'users.login', {
      username: 'guard_user',
      password: TEST_PASSWORD,
    });
    expect(login.status).toBe(200);
  });

  it('refuses a cross-site multipart logout, and the session lives', async () => {
    const cookie = await cookieLogin('multipart_victim');
    const form = new FormData();
    form.append('x', '1');
    const attack = await fetch(`${server.url}/trpc/users.logout`, {
      method: 'POST',
      headers: { cookie, origin: 'https://evil.example' },
      body: form,
    });
    expect(attack.status).toBe(415);
    expect(await attack.text()).toContain('UNSUPPORTED_MEDIA_TYPE');
    // even same-origin, a form body is refused for every procedure
    const sameSiteForm = await fetch(`${server.url}/trpc/users.logout`, {
      method: 'POST',
      headers: { cookie, origin: server.url },
      body: form,
    });
    expect(sameSiteForm.status).toBe(415);
    for (const type of ['application/x-www-form-urlencoded', 'text/plain', 'application/octet-stream']) {
      const other = await fetch(`${server.url}/trpc/users.logout`, {
        method: 'POST',
        headers: { cookie, 'content-type': type },
        body: 'x=1',
      });
      expect({ type, status: other.status }).toEqual({ type, status: 415 });
    }
    const me = await getProcedure(server.url, 'users.me', undefined, { cookie });
    expect(me.status).toBe(200);
    expect(me.text).toContain('multipart_victim');
  });

  it('a cookie-authenticated mutation needs a same-origin Origin; bearer tokens need none', async () => {
    const cookie = await cookieLogin('origin_user');
    const foreign = await postProcedure(server.url, 'users.logout', undefined, {
      cookie,
      origin: 'https://evil.example',
    });
    expect(foreign.status).toBe(403);
    expect(foreign.text).toContain('CROSS_SITE_REQUEST');
    const missing = await postProcedure(server.url, 'users.logout', undefined, { cookie });
    expect(missing.status).toBe(403);
    expect((await getProcedure(server.url, 'users.me', undefined, { cookie })).status).toBe(200);
    // reads with the cookie need no Origin (a cross-site page cannot read the answer)
    const bearer = await postProcedure(
      server.url,
      'predicts.update',
      { id: 1, note: 'x' },
      {
        authorization: `Bearer ${token}`,
      },
    );
    expect(bearer.status).toBe(404);
    const same = await postProcedure(server.url, 'users.logout', undefined, { cookie, origin: server.url });
    expect(same.status).toBe(200);
    expect((await getProcedure(server.url, 'users.me', undefined, { cookie })).status).toBe(401);
  });

  it('accepts Sec-Fetch-Site: same-origin when a browser sends no Origin', async () => {
    const cookie = await cookieLogin('fetch_site_user');
    const response = await postProcedure(server.url, 'users.logout', undefined, {
      cookie,
      'sec-fetch-site': 'same-origin',
    });
    expect(response.status).toBe(200);
  });
});
