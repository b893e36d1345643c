import { describe, expect, it } from 'vitest';
import type { Session } from '../context.ts';
import { createActor, TEST_PASSWORD, testServices } from '../test/actors.ts';
import { createTestDb, testEngine } from '../test/db.ts';
import { getProcedure, postProcedure } from '../test/http-calls.ts';
import { startTestServer } from '../test/server.ts';
import { spawnServerProcess } from '../test/server-process.ts';
import { SESSION_CACHE_MS, SessionCache } from './session-cache.ts';

const session = (id: number, userId: number, expiresAt = new Date(Date.now() + 60_000)): Session => ({
  id,
  expiresAt,
  user: { id: userId, username: `u${userId}`, role: 'user' },
});

describe('SessionCache', () => {
  it('reuses a lookup within its time, shares concurrent misses, and forgets on revocation', async () => {
    const cache = new SessionCache(1000);
    let lookups = 0;
    const lookup = async () => {
      lookups++;
      return session(1, 7);
    };
    const now = Date.now();
    await Promise.all([cache.find('t', lookup, now), cache.find('t', lookup, now)]);
    expect(lookups).toBe(1);
    await cache.find('t', lookup, now + 999);
    expect(lookups).toBe(1);
    await cache.find('t', lookup, now + 1000);
    expect(lookups).toBe(2);
    cache.forgetSession(1);
    await cache.find('t', lookup, now + 1001);
    expect(lookups).toBe(3);
    cache.forgetUser(7);
    expect(cache.size).toBe(0);
  });

  it('keeps neither unknown tokens, failed lookups nor expired sessions', async () => {
    const cache = new SessionCache(1000);
    expect(await cache.find('nobody', async () => null)).toBeNull();
    await expect(cache.find('down', () => Promise.reject(new Error('db down')))).rejects.toThrow('db down');
    expect(cache.size).toBe(0);
    const expiresAt = new Date(Date.now() + 10);
    await cache.find('brief', async () => session(2, 8, expiresAt), Date.now());
    let again = 0;
    const result = await cache.find(
      'brief',
      async () => {
        again++;
        return null;
      },
      expiresAt.getTime() + 1,
    );
    expect(result).toBeNull();
    expect(again).toBe(1);
  });
});

describe(`cached sessions over HTTP (${testEngine})`, () => {
  it('logout and deleting the user take effect at once in the same process', async () => {
    const server = await startTestServer();
    try {
      const services = testServices(server.testDb);
      const reader = await createActor(services, 'cached_reader');
      const admin = await createActor(services, 'cache_admin', 'admin');
      await createActor(services, 'cache_admin2', 'admin');
      const auth = (token: string) => ({ authorization: `Bearer ${token}` });
      expect((await getProcedure(server.url, 'users.me', undefined, auth(reader.token))).status).toBe(200);
      expect((await postProcedure(server.url, 'users.logout', undefined, auth(reader.token))).status).toBe(
        200,
      );
      expect((await getProcedure(server.url, 'users.me', undefined, auth(reader.token))).status).toBe(401);

      const login = await server
        .client()
        .users.login.mutate({ username: 'cached_reader', password: TEST_PASSWORD });
      expect((await getProcedure(server.url, 'predicts.list', {}, auth(login.token))).status).toBe(200);
      // the legacy REST routes look sessions up through the same cache
      const legacyList = () => fetch(`${server.url}/predicts/list/`, { headers: auth(login.token) });
      // signed in, with nothing to list: 404, as the legacy list answered (401 once the session is gone)
      expect((await legacyList()).status).toBe(404);
      await server.client(admin.token).users.delete.mutate({ id: reader.user.id });
      expect((await getProcedure(server.url, 'predicts.list', {}, auth(login.token))).status).toBe(401);
      expect((await legacyList()).status).toBe(401);
    } finally {
      await server.stop();
    }
  });
});

describe.skipIf(testEngine !== 'postgres')('cached sessions across two server processes (PostgreSQL)', () => {
  it('a logout on one process takes effect on the other within one second', async () => {
    const testDb = await createTestDb();
    const first = await startTestServer({}, { testDb });
    const second = spawnServerProcess({ DATABASE_URL: testDb.url ?? '' });
    try {
      const secondUrl = await second.ready;
      const reader = await createActor(testServices(testDb), 'two_process_reader');
      const auth = { authorization: `Bearer ${reader.token}` };
      // the second process has the session cached from this read
      expect((await getProcedure(secondUrl, 'users.me', undefined, auth)).status).toBe(200);
      expect((await postProcedure(first.url, 'users.logout', undefined, auth)).status).toBe(200);
      await new Promise((r) => setTimeout(r, 1000));
      expect(SESSION_CACHE_MS).toBeLessThan(1000);
      expect((await getProcedure(secondUrl, 'users.me', undefined, auth)).status).toBe(401);
    } finally {
      await second.stop();
      await first.stop();
      await testDb.close();
    }
  });
});
