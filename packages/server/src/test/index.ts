// Test helpers shared with other workspace packages' tests (import from '@ethcast/server/test').
export { createActor, TEST_PASSWORD, testServices } from './actors.ts';
export { createTestDb, type TestDb, testEngine } from './db.ts';
export { startTestServer, type TestServer } from './server.ts';
