import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prices } from '../db/schema.ts';
import { findRepoRoot } from '../paths.ts';
import { createTestDb, type TestDb, testEngine } from '../test/db.ts';
import { importPrices } from './import.ts';

// The real exports live beside the repository (../shared/data) and are never copied into it.
const dataDir = join(findRepoRoot(), '..', 'shared', 'data');
const datasets = [
  { symbol: 'ETH-USD', file: join(dataDir, 'eth-usd-daily.csv'), rows: 3890, first: '2015-08-07' },
  { symbol: 'BTC-USD', file: join(dataDir, 'btc-usd-daily.csv'), rows: 4214, first: '2014-09-17' },
];
const available = datasets.every((d) => existsSync(d.file));
if (!available) {
  console.log(`[prices] skipped the real-data import tests: ${dataDir}/{eth,btc}-usd-daily.csv not found`);
}

describe.skipIf(!available)(`importPrices on ../shared/data (${testEngine})`, () => {
  let testDb: TestDb;
  beforeAll(async () => {
    testDb = await createTestDb();
  });
  afterAll(() => testDb?.close());

  it.each(datasets)('imports $symbol exactly, and a second time changes nothing', async (d) => {
    const lines = readFileSync(d.file, 'utf8').trim().split('\n').slice(1);
    const expected = lines.map((line) => {
      const [day, , , , close] = line.split(',');
      return { day, close: Number(close) };
    });
    const first = await importPrices(testDb.db, d.file, { symbol: d.symbol });
    expect(first).toMatchObject({
      format: 'plain',
      rowsRead: d.rows,
      inserted: d.rows,
      updated: 0,
      skipped: 0,
      firstDay: d.first,
      lastDay: '2026-03-31',
      missingDays: 0,
    });
    const stored = await testDb.db
      .select({ day: prices.day, close: prices.close })
      .from(prices)
      .where(eq(prices.symbol, d.symbol))
      .orderBy(asc(prices.day));
    expect(stored).toHaveLength(d.rows);
    expect(stored).toEqual(expected);

    const again = await importPrices(testDb.db, d.file, { symbol: d.symbol });
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: d.rows, changes: [] });
  });
});
