import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { upsertPrices } from '../db/queries/price-upsert.ts';
import { getLastDay, hasAnyPrices } from '../db/queries/prices.ts';
import { prices } from '../db/schema.ts';
import { createTestDb, type TestDb, testEngine } from '../test/db.ts';
import { generateCandles, tempDir, toCsv } from '../test/price-csv.ts';
import { startReplayServer } from '../test/replay-server.ts';
import { bootstrapPrices } from './bootstrap-prices.ts';

describe(`bootstrapPrices (${testEngine})`, () => {
  let testDb: TestDb;
  const files = tempDir();
  const lines: string[] = [];
  const log = { info: (m: string) => lines.push(`info ${m}`), warn: (m: string) => lines.push(`warn ${m}`) };
  const config = { pricesCsv: undefined, pricesSymbol: 'ETH-USD', pricesSyncUrl: null };
  beforeAll(async () => {
    testDb = await createTestDb();
  });
  afterAll(async () => {
    await testDb?.close();
    files.cleanup();
  });
  beforeEach(async () => {
    await testDb.db.delete(prices);
    lines.length = 0;
  });

  it('imports PRICES_CSV into an empty database', async () => {
    const file = files.write('eth.csv', toCsv(generateCandles('ETH-USD', '2020-01-01', 30), 'yahoo'));
    expect(await bootstrapPrices(testDb, { ...config, pricesCsv: file }, log)).toBe('imported');
    expect(lines).toEqual([`info prices: imported 30 ETH-USD days from ${file} (2020-01-01 → 2020-01-30)`]);
    expect(await getLastDay(testDb.db, 'ETH-USD')).toBe('2020-01-30');
  });

  it('leaves a database that has prices alone', async () => {
    await upsertPrices(testDb.db, generateCandles('BTC-USD', '2020-01-01', 1), 'seed');
    const file = files.write('eth2.csv', toCsv(generateCandles('ETH-USD', '2020-01-01', 3), 'plain'));
    expect(await bootstrapPrices(testDb, { ...config, pricesCsv: file }, log)).toBe('skipped');
    expect(lines).toEqual([]);
    expect(await getLastDay(testDb.db, 'ETH-USD')).toBeNull();
  });

  it('syncs when there is no PRICES_CSV', async () => {
    const rows = generateCandles('ETH-USD', '2024-03-10', 5);
    const server = await startReplayServer([
      {
        status: 200,
        body: rows.map((r) => [Date.parse(r.day) / 1000, r.low, r.high, r.open, r.close, r.volume]),
      },
    ]);
    try {
      const result = await bootstrapPrices(testDb, { ...config, pricesSyncUrl: server.url }, log, {
        now: new Date('2024-03-15T08:00:00Z'),
        since: '2024-03-10',
      });
      expect(result).toBe('synced');
      expect(lines).toEqual([`info prices: synced 5 ETH-USD days from ${server.url} (to 2024-03-14)`]);
    } finally {
      await server.close();
    }
  });

  it('says in one line how to load prices when neither works', async () => {
    const server = await startReplayServer([{ status: 404, body: { message: 'NotFound' } }]);
    try {
      const result = await bootstrapPrices(
        testDb,
        { ...config, pricesCsv: files.pathOf('missing.csv'), pricesSyncUrl: server.url },
        log,
        { now: new Date('2024-03-15T08:00:00Z'), since: '2024-03-10' },
      );
      expect(result).toBe('none');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        /^warn No prices loaded \(PRICES_CSV .*missing\.csv does not exist; sync of ETH-USD failed/,
      );
      expect(lines[0]).toMatch(/run "pnpm ethcast prices:import <file> --symbol ETH-USD" or set PRICES_CSV$/);
      expect(await hasAnyPrices(testDb.db)).toBe(false);
    } finally {
      await server.close();
    }
  });
});
