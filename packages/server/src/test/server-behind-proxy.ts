import { createDb } from '../db/client.ts';
import type { TestDb } from './db.ts';
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
