import { TRPCClientError } from '@ethcast/client';
import { afterAll, describe, expect, it } from 'vitest';
import { compareMigrations } from './db/readiness.ts';
import { createTestDb, type TestDb, testEngine } from './test/db.ts';
import { startTestServer, type TestServer } from './test/server.ts';

describe(`liveness and readiness (${testEngine})`, () => {
  const opened: (TestServer | TestDb)[] = [];
  afterAll(async () => {
    for (const thing of opened.reverse()) await ('stop' in thing ? thing.stop() : thing.close());
  });

  it('on a database without migrations: /health is live, /ready and tRPC health say 503', async () => {
    const empty = await createTestDb({ fresh: true, migrate: false });
    opened.push(empty);
    const server = await startTestServer({}, { testDb: empty });
    opened.push(server);
    const live = await fetch(`${server.url}/health`);
    expect(live.status).toBe(200);
    expect(await live.json()).toMatchObject({ status: 'ok' });
    const ready = await fetch(`${server.url}/ready`);
    expect(ready.status).toBe(503);
    expect(ready.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await ready.json()).toMatchObject({ ready: false, database: 'up', migrations: 'pending' });
    const rpc = await fetch(`${server.url}/trpc/health`);
    expect(rpc.status).toBe(503);
    const error = await server
      .client()
      .health.query()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCClientError);
    expect((error as TRPCClientError<never>).data).toMatchObject({
      reason: 'NOT_READY',
      params: { database: 'up', migrations: 'pending' },
    });
  });

  it('on a migrated database: /ready and tRPC health say 200', async () => {
    const server = await startTestServer();
    opened.push(server);
    const ready = await fetch(`${server.url}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ready: true, database: 'up', migrations: 'current' });
    expect((await fetch(`${server.url}/trpc/health`)).status).toBe(200);
    expect(await server.client().health.query()).toMatchObject({ status: 'ok', migrations: 'current' });
  });

  it('compares applied migrations with the journal', () => {
    const a = { createdAt: 1, hash: 'a' };
    const b = { createdAt: 2, hash: 'b' };
    expect(compareMigrations([a, b], [a, b])).toBe('current');
    expect(compareMigrations([a], [a, b])).toBe('pending');
    expect(compareMigrations([a, b], [a])).toBe('ahead');
    expect(compareMigrations([{ ...a, hash: 'x' }, b], [a, b])).toBe('diverged');
  });
});
