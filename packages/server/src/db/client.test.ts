import { Socket } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadTestEnv } from '../test/test-env.ts';
import { createDb, noDelaySocketFactory, queryRows, reconnectDelaySeconds } from './client.ts';

const { testDatabaseUrl } = loadTestEnv();

describe('reconnectDelaySeconds', () => {
  it("starts at postgres.js's 5-10 ms and never exceeds 1 s, however many connections closed on errors", () => {
    for (let i = 0; i < 20; i++) {
      expect(reconnectDelaySeconds(0)).toBeGreaterThanOrEqual(0.005);
      expect(reconnectDelaySeconds(0)).toBeLessThanOrEqual(0.01);
      for (const retries of [7, 8, 30, 1000]) expect(reconnectDelaySeconds(retries)).toBeLessThanOrEqual(1);
    }
  });
});

describe('noDelaySocketFactory', () => {
  afterEach(() => vi.restoreAllMocks());

  it('opens TCP connections with Nagle off, to each host of a multi-host URL in turn', () => {
    const noDelay = vi.spyOn(Socket.prototype, 'setNoDelay');
    const factory = noDelaySocketFactory();
    const target = { host: ['127.0.0.1', '127.0.0.1'], port: [1, 2] };
    const sockets = [factory(target), factory(target), factory(target)];
    for (const socket of sockets) socket.on('error', () => {}).destroy();
    expect(sockets.map((s) => (s as Socket & { port: number }).port)).toEqual([1, 2, 1]);
    expect(sockets.map((s) => (s as Socket & { host: string }).host)).toEqual(Array(3).fill('127.0.0.1'));
    expect(noDelay).toHaveBeenCalledTimes(3);
    expect(noDelay.mock.calls.every(([flag]) => flag === true)).toBe(true);
  });

  it('uses a unix socket path as given', () => {
    const noDelay = vi.spyOn(Socket.prototype, 'setNoDelay');
    const socket = noDelaySocketFactory()({ host: [], port: [], path: '/nonexistent/.s.PGSQL.5432' });
    socket.on('error', () => {}).destroy();
    expect(socket).toBeInstanceOf(Socket);
    expect(noDelay).not.toHaveBeenCalled();
  });

  it.skipIf(!testDatabaseUrl)('carries queries and COPY to PostgreSQL (TEST_DATABASE_URL)', async () => {
    const handle = await createDb({ url: testDatabaseUrl ?? '', max: 2 });
    try {
      const [row] = await queryRows<{ n: number }>(handle.db, sql`select 41 + 1 as n`);
      expect(row?.n).toBe(42);
      expect(await handle.ping()).toBe(true);
    } finally {
      await handle.close();
    }
  });
});
