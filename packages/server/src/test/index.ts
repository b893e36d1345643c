// Test helpers shared with other workspace packages' tests (import from '@ethcast/server/test').
export { createActor, TEST_PASSWORD, testServices } from './actors.ts';
export { createTestDb, type TestDb, testEngine } from './db.ts';
export { buildLegacyDatabase, createTakenOverTestDb, legacyPredicts, legacyUsers } from './legacy-db.ts';
export { generateCandles } from './price-csv.ts';
export { startTestServer, type TestServer } from './server.ts';

import type { Database } from '../db/client.ts';
import { upsertPrices } from '../db/queries/price-upsert.ts';
import { generateCandles } from './price-csv.ts';

/** Stores a deterministic random-walk price history for a symbol. */
export async function seedPrices(db: Database, symbol: string, start: string, days: number, seed = 1) {
  await upsertPrices(db, generateCandles(symbol, start, days, seed), 'test');
}
export { scoreNewOutcomes as scoreForecasts } from '../db/queries/scores.ts';
export { countBothWays } from './scan-counts.ts';
export { type ServerProcess, spawnServerProcess } from './server-process.ts';
