import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { Services } from '../services.ts';
import { testServices } from './actors.ts';
import { createTestDb, type TestDb } from './db.ts';
import { startTestServer, type TestServer } from './server.ts';

type Setup = (services: Services, testDb: TestDb) => Promise<void> | void;

/**
 * Registers the hooks of a test file's (or a describe's) own migrated database: created before its
 * tests, closed after them. `setup` gets fresh services on it, once before all tests (`per: 'file'`,
 * the default) or before each test on an emptied database (`per: 'test'`).
 */
export function useTestDb(setup: Setup = () => {}, options: { per?: 'file' | 'test' } = {}) {
  let testDb: TestDb;
  const prepare = async () => setup(testServices(testDb), testDb);
  beforeAll(async () => {
    testDb = await createTestDb();
    if (options.per !== 'test') await prepare();
  });
  if (options.per === 'test') {
    beforeEach(async () => {
      await testDb.reset();
      await prepare();
    });
  }
  afterAll(() => testDb?.close());
}

/**
 * Registers the hooks of a test HTTP server started before the tests (over a database of its own) and
 * stopped after them; `setup` gets it and services on its database.
 */
export function useTestServer(
  setup: (server: TestServer, services: Services) => Promise<void> | void,
  env: Record<string, string> = {},
) {
  let server: TestServer | undefined;
  beforeAll(async () => {
    server = await startTestServer(env);
    await setup(server, testServices(server.testDb));
  });
  afterAll(() => server?.stop());
}
