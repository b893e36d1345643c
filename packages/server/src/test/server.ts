import { randomBytes } from 'node:crypto';
import { createEthcastClient, type EthcastClient } from '@ethcast/client';
import { loadConfig, type ServerConfig } from '../env.ts';
import { type JobsOptions, type RunningServer, startServer } from '../server.ts';
import type { ServicesOptions } from '../services.ts';
import { createTestDb, type TestDb } from './db.ts';

export type TestServer = RunningServer & {
  testDb: TestDb;
  config: ServerConfig;
  client(token?: string | null): EthcastClient;
  stop(): Promise<void>;
};

/** A real HTTP server on 127.0.0.1:0 over a test database, and typed clients for it. */
export async function startTestServer(
  env: Record<string, string> = {},
  options: { testDb?: TestDb; dashboardDir?: string } & JobsOptions & ServicesOptions = {},
): Promise<TestServer> {
  const testDb = options.testDb ?? (await createTestDb());
  const config = loadConfig({ NODE_ENV: 'test', PORT: '0', LOG_LEVEL: 'silent', ...env });
  const server = await startServer(config, {
    dbHandle: testDb.handle,
    logger: false,
    dashboardDir: options.dashboardDir ?? null,
    clock: options.clock,
    sessionCacheMs: options.sessionCacheMs,
    // the embedded test database is shared by a worker's test files: a queue of its own per server
    bossSchema: options.bossSchema ?? `pgboss_${randomBytes(4).toString('hex')}`,
    jobLog: options.jobLog ?? { info: () => {}, error: () => {} },
  });
  return {
    ...server,
    testDb,
    config,
    client: (token) => createEthcastClient({ url: server.url, getToken: () => token }),
    async stop() {
      await server.close();
      if (!options.testDb) await testDb.close();
    },
  };
}
