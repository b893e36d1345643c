import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listSymbols } from './db/queries/prices.ts';
import { createSession } from './db/queries/sessions.ts';
import { SESSION_COOKIE } from './http-context.ts';
import { PRICE_IMPORT_PATH } from './prices/import-route.ts';
import type { Services } from './services.ts';
import { createActor, TEST_PASSWORD, testServices } from './test/actors.ts';
import { testEngine } from './test/db.ts';
import { postProcedure } from './test/http-calls.ts';
import { startTestServer, type TestServer } from './test/server.ts';
import { useServerBehindProxy } from './test/server-behind-proxy.ts';

/**
 * Every face finds its caller through the one session resolver (http-viewer.ts): tRPC, the /api face,
 * the legacy REST routes and the price upload. Each test asks all of them the same thing.
 */

type Face = 'trpc' | 'api' | 'legacy' | 'upload';
type Outcome = { status: number; reason: string | null };

const csv = 'date,open,high,low,close,volume\n2026-01-01,3000,3100,2900,3050,10\n';

/** The reason a refusal carries: the legacy and /api routes' header, else the body's `reason`. */
async function outcomeOf(response: Response): Promise<Outcome> {
  const text = await response.text();
  const reason = response.headers.get('x-error-reason') ?? /"reason":"([A-Z_]+)"/.exec(text)?.[1] ?? null;
  return { status: response.status, reason: response.status === 200 ? null : reason };
}

/** One admin-only request per face with the given headers. */
async function adminCallOnEveryFace(url: string, headers: Record<string, string>, symbol = 'ETH-USD') {
  const calls: Record<Face, () => Promise<Response>> = {
    trpc: () => fetch(`${url}/trpc/users.list`, { headers }),
    api: () => fetch(`${url}/api/users/list`, { headers }),
    legacy: () => fetch(`${url}/users/list/`, { headers }),
    upload: () =>
      fetch(`${url}${PRICE_IMPORT_PATH}?symbol=${symbol}`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'text/csv' },
        body: csv,
      }),
  };
  const out = {} as Record<Face, Outcome>;
  for (const [face, call] of Object.entries(calls) as [Face, () => Promise<Response>][]) {
    out[face] = await outcomeOf(await call());
  }
  return out;
}

const everyFace = (outcome: Outcome): Record<Face, Outcome> => ({
  trpc: outcome,
  api: outcome,
  legacy: outcome,
  upload: outcome,
});
const served = everyFace({ status: 200, reason: null });
const unauthenticated = everyFace({ status: 401, reason: 'UNAUTHENTICATED' });

describe(`a revoked session is refused by every face at once (${testEngine})`, () => {
  let server: TestServer;
  let services: Services;
  let boss: Awaited<ReturnType<typeof createActor>>;
  beforeAll(async () => {
    // A session cache window of ten minutes: a face that still served a revoked session from the cache
    // would answer 200 here, however slow the machine.
    server = await startTestServer({}, { sessionCacheMs: 10 * 60_000 });
    services = testServices(server.testDb);
    boss = await createActor(services, 'faces_boss', 'admin');
  });
  afterAll(() => server?.stop());

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  /** The boss calls `procedure` with `input` over HTTP, and it succeeds. */
  async function byBoss(procedure: string, input: unknown) {
    const response = await postProcedure(server.url, procedure, input, bearer(boss.token));
    expect(response.status).toBe(200);
  }

  /** An admin whose session every face has just looked up (and so cached). */
  async function cachedAdmin(username: string) {
    const admin = await createActor(services, username, 'admin');
    expect(await adminCallOnEveryFace(server.url, bearer(admin.token))).toEqual(served);
    return admin;
  }

  it('logout', async () => {
    const victim = await cachedAdmin('faces_logout');
    const logout = await postProcedure(server.url, 'users.logout', undefined, bearer(victim.token));
    expect(logout.status).toBe(200);
    expect(await adminCallOnEveryFace(server.url, bearer(victim.token))).toEqual(unauthenticated);
  });

  it('an admin sets the password: every session of the account ends', async () => {
    const victim = await cachedAdmin('faces_reset');
    await byBoss('users.update', { id: victim.user.id, password: 'a-new-password-42' });
    expect(await adminCallOnEveryFace(server.url, bearer(victim.token))).toEqual(unauthenticated);
  });

  it('a password change of your own ends your other sessions and keeps this one', async () => {
    const victim = await cachedAdmin('faces_own_change');
    const other = (await createSession(server.testDb.db, victim.user.id)).token;
    expect(await adminCallOnEveryFace(server.url, bearer(other))).toEqual(served);
    const change = await postProcedure(
      server.url,
      'users.update',
      { id: victim.user.id, password: 'a-new-password-42', currentPassword: TEST_PASSWORD },
      bearer(victim.token),
    );
    expect(change.status).toBe(200);
    expect(await adminCallOnEveryFace(server.url, bearer(other))).toEqual(unauthenticated);
    expect(await adminCallOnEveryFace(server.url, bearer(victim.token))).toEqual(served);
  });

  it('the account is deleted', async () => {
    const victim = await cachedAdmin('faces_deleted');
    await byBoss('users.delete', { id: victim.user.id });
    expect(await adminCallOnEveryFace(server.url, bearer(victim.token))).toEqual(unauthenticated);
  });

  it('a demoted admin loses the admin requests on every face, and keeps the session', async () => {
    const victim = await cachedAdmin('faces_demoted');
    await byBoss('users.update', { id: victim.user.id, role: 'user' });
    expect(await adminCallOnEveryFace(server.url, bearer(victim.token))).toEqual(
      everyFace({ status: 403, reason: 'ADMIN_ONLY' }),
    );
    const me = await fetch(`${server.url}/api/users/me`, { headers: bearer(victim.token) });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ username: 'faces_demoted', role: 'user' });
  });
});

describe(`a cross-site request with the session cookie changes nothing on any face (${testEngine})`, () => {
  let server: TestServer;
  let services: Services;
  beforeAll(async () => {
    server = await startTestServer();
    services = testServices(server.testDb);
  });
  afterAll(() => server?.stop());

  /** Renames the account through each face, with the given headers; the outcome per face. */
  async function renameOnEveryFace(id: number, headers: Record<string, string>, symbol: string) {
    const json = { ...headers, 'content-type': 'application/json' };
    const renamed = (face: string) => `xsite_${face}_renamed`;
    return {
      trpc: await outcomeOf(
        await fetch(`${server.url}/trpc/users.update`, {
          method: 'POST',
          headers: json,
          body: JSON.stringify({ json: { id, username: renamed('trpc') } }),
        }),
      ),
      api: await outcomeOf(
        await fetch(`${server.url}/api/users/update`, {
          method: 'POST',
          headers: json,
          body: JSON.stringify({ id, username: renamed('api') }),
        }),
      ),
      legacy: await outcomeOf(
        await fetch(`${server.url}/users/update/${id}`, {
          method: 'PUT',
          headers: json,
          body: JSON.stringify({ username: renamed('legacy') }),
        }),
      ),
      upload: await outcomeOf(
        await fetch(`${server.url}${PRICE_IMPORT_PATH}?symbol=${symbol}`, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'text/csv' },
          body: csv,
        }),
      ),
    };
  }

  async function usernameOf(token: string): Promise<string> {
    const me = await fetch(`${server.url}/api/users/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    return ((await me.json()) as { username: string }).username;
  }

  it('tRPC refuses it as CROSS_SITE_REQUEST; the other faces never take the cookie', async () => {
    const victim = await createActor(services, 'xsite_admin', 'admin');
    const cookie = `${SESSION_COOKIE}=${victim.token}`;
    for (const origin of ['https://evil.example', 'null']) {
      expect(await renameOnEveryFace(victim.user.id, { cookie, origin }, 'XSITE-USD')).toEqual({
        trpc: { status: 403, reason: 'CROSS_SITE_REQUEST' },
        // the legacy routes, /api and the upload take the bearer token only: the cookie makes no
        // caller, and a change needs one
        api: { status: 401, reason: 'UNAUTHENTICATED' },
        legacy: { status: 401, reason: 'UNAUTHENTICATED' },
        upload: { status: 401, reason: 'UNAUTHENTICATED' },
      });
    }
    // no Origin and no Sec-Fetch-Site: not shown to come from the site, refused too
    expect((await renameOnEveryFace(victim.user.id, { cookie }, 'XSITE-USD')).trpc).toEqual({
      status: 403,
      reason: 'CROSS_SITE_REQUEST',
    });
    expect(await usernameOf(victim.token)).toBe('xsite_admin');
    expect((await listSymbols(server.testDb.db)).map((s) => s.symbol)).not.toContain('XSITE-USD');
  });

  it("from the site's own page the cookie works on tRPC only", async () => {
    const victim = await createActor(services, 'samesite_admin', 'admin');
    const cookie = `${SESSION_COOKIE}=${victim.token}`;
    expect(await renameOnEveryFace(victim.user.id, { cookie, origin: server.url }, 'SAMESITE-USD')).toEqual({
      trpc: { status: 200, reason: null },
      api: { status: 401, reason: 'UNAUTHENTICATED' },
      legacy: { status: 401, reason: 'UNAUTHENTICATED' },
      upload: { status: 401, reason: 'UNAUTHENTICATED' },
    });
    expect(await usernameOf(victim.token)).toBe('xsite_trpc_renamed');
    expect((await listSymbols(server.testDb.db)).map((s) => s.symbol)).not.toContain('SAMESITE-USD');
  });

  it('a bearer token needs no Origin on any face', async () => {
    const admin = await createActor(services, 'xsite_bearer', 'admin');
    const headers = { authorization: `Bearer ${admin.token}`, origin: 'https://evil.example' };
    expect(await adminCallOnEveryFace(server.url, headers)).toEqual(served);
  });
});

// An outage needs a database on the other side of a network connection: PostgreSQL only (the embedded
// PGlite runs inside the server process and cannot become unreachable).
describe.skipIf(testEngine !== 'postgres')(
  'the session lookup with the database unreachable (PostgreSQL)',
  () => {
    const outage = useServerBehindProxy('faces_outage', 'admin');

    it('is DATABASE_UNAVAILABLE (503) on every face, then serves again', async () => {
      await outage.proxy.cut();
      // the token was never looked up by the server: no cached session to fall back on
      expect(
        await adminCallOnEveryFace(outage.server.url, { authorization: `Bearer ${outage.token}` }),
      ).toEqual(everyFace({ status: 503, reason: 'DATABASE_UNAVAILABLE' }));
      const upload = await fetch(`${outage.server.url}${PRICE_IMPORT_PATH}?symbol=ETH-USD`, {
        method: 'POST',
        headers: { authorization: `Bearer ${outage.token}`, 'content-type': 'text/csv' },
        body: csv,
      });
      expect(upload.status).toBe(503);
      expect(upload.headers.get('retry-after')).toMatch(/^\d+$/);
      await outage.proxy.restore();
      let outcomes: Record<Face, Outcome> | null = null;
      for (let attempt = 0; attempt < 50; attempt++) {
        outcomes = await adminCallOnEveryFace(outage.server.url, { authorization: `Bearer ${outage.token}` });
        if (Object.values(outcomes).every((o) => o.status === 200)) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(outcomes).toEqual(served);
    });
  },
);
