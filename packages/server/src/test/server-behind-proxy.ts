import { afterAll, beforeAll } from 'vitest';
import { createDb } from '../db/client.ts';
import type { Role } from '../db/schema.ts';
import { createActor, testServices } from './actors.ts';
import { createTestDb, type TestDb } from './db.ts';
import { startTestServer, type TestServer } from './server.ts';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.ts';

export type ServerBehindProxy = {
  server: TestServer;
  /** between the server and its database: `cut` is an outage */
  proxy: TcpProxy;
  /** stops the server, then closes its connections and the proxy */
  close(): Promise<void>;
};

/**
 * A test server on `testDb` (PostgreSQL) whose connections, four at most, go through a TCP proxy
 * that a test can cut and restore.
 */
export async function startServerBehindProxy(testDb: TestDb): Promise<ServerBehindProxy> {
  const direct = new URL(testDb.url ?? '');
  const proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
  const viaProxy = new URL(direct);
  viaProxy.port = String(proxy.port);
  const handle = await createDb({ url: viaProxy.toString(), max: 4 });
  const server = await startTestServer({}, { testDb: { ...testDb, handle, db: handle.db } });
  return {
    server,
    proxy,
    close: async () => {
      await server.stop();
      await handle.close();
      await proxy.close();
    },
  };
}

/**
 * Registers a test file's hooks for an outage test: a database of its own (PostgreSQL), a user
 * `username` with `role`, and a server behind a proxy on it; the fields are set before the tests run.
 */
export function useServerBehindProxy(username: string, role: Role = 'user') {
  const state = {} as { server: TestServer; proxy: TcpProxy; token: string };
  let testDb: TestDb | undefined;
  let close: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    testDb = await createTestDb();
    state.token = (await createActor(testServices(testDb), username, role)).token;
    const started = await startServerBehindProxy(testDb);
    ({ server: state.server, proxy: state.proxy, close } = started);
  });
  afterAll(async () => {
    await close?.();
    await testDb?.close();
  });
  return state;
}
