// Test helpers shared with other workspace packages' tests (import from '@ethcast/server/test').

export { scoreNewOutcomes as scoreForecasts } from '../db/queries/scores.ts';
export { createActor, TEST_PASSWORD, testServices } from './actors.ts';
export { chromiumArgs, chromiumPath } from './chromium.ts';
export { createTestDb, type TestDb, testEngine } from './db.ts';
export { recordFailedRun } from './jobs.ts';
export { buildLegacyDatabase, createTakenOverTestDb, legacyPredicts, legacyUsers } from './legacy-db.ts';
export { generateCandles, seedPrices } from './price-csv.ts';
export { type ProcessOutput, processOutput } from './process-output.ts';
export { countBothWays } from './scan-counts.ts';
export { startTestServer, type TestServer } from './server.ts';
export { type ServerProcess, spawnServerProcess } from './server-process.ts';
