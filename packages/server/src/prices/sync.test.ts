import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PriceRow } from '../db/queries/prices.ts';
import { prices } from '../db/schema.ts';
import { createTestDb, type TestDb, testEngine } from '../test/db.ts';
import { coinbasePage } from '../test/jobs.ts';
import { generateCandles, storedPrices } from '../test/price-csv.ts';
import { startReplayServer } from '../test/replay-server.ts';
import { SyncError, syncPrices } from './sync.ts';

const noSleep = { sleep: async () => {}, baseDelayMs: 1 };

describe(`syncPrices against a replayed exchange (${testEngine})`, () => {
  let testDb: TestDb;
  // ETH-USD lists on 2023-03-03 in this recording; "now" is 2024-03-15 12:00 UTC.
  const history = generateCandles('ETH-USD', '2023-03-03', 400, 21);
  const now = new Date('2024-03-15T12:00:00Z');
  const byDay = (from: string, to: string) => history.filter((r) => r.day >= from && r.day <= to);
  const stored = () => storedPrices(testDb.db);

  beforeAll(async () => {
    testDb = await createTestDb();
  });
  afterAll(() => testDb?.close());
  beforeEach(async () => {
    await testDb.db.delete(prices);
  });

  async function initialSync() {
    // the candle of "today", still open: its values would change before the day closes
    const partial = { ...history[378], close: 1 } as PriceRow;
    const server = await startReplayServer([
      { status: 200, body: [] }, // 2022-05-07 .. 2023-03-02: before the listing
      coinbasePage(byDay('2023-03-03', '2023-12-27')),
      coinbasePage([...byDay('2023-12-28', '2024-03-14'), partial]),
    ]);
    try {
      const report = await syncPrices(testDb.db, {
        symbol: 'ETH-USD',
        baseUrl: server.url,
        since: '2022-05-07',
        now,
        ...noSleep,
      });
      return { report, server };
    } finally {
      await server.close();
    }
  }

  it('pages through the history, skips an empty page and never stores the open candle', async () => {
    const { report, server } = await initialSync();
    expect(
      server.requests.map((u) => [u.pathname, u.searchParams.get('start'), u.searchParams.get('end')]),
    ).toEqual([
      ['/products/ETH-USD/candles', '2022-05-07T00:00:00.000Z', '2023-03-02T00:00:00.000Z'],
      ['/products/ETH-USD/candles', '2023-03-03T00:00:00.000Z', '2023-12-27T00:00:00.000Z'],
      ['/products/ETH-USD/candles', '2023-12-28T00:00:00.000Z', '2024-03-14T00:00:00.000Z'],
    ]);
    expect(server.requests.every((u) => u.searchParams.get('granularity') === '86400')).toBe(true);
    expect(report).toMatchObject({
      symbol: 'ETH-USD',
      source: `sync:${new URL(server.url).host}`,
      from: '2022-05-07',
      to: '2024-03-14',
      pages: 3,
      fetched: 379,
      partialExcluded: 1,
      inserted: 378,
      updated: 0,
      lastDay: '2024-03-14',
    });
    expect(await stored()).toEqual(byDay('2023-03-03', '2024-03-14'));
  });

  it('resumes from the day after the last stored day', async () => {
    await initialSync();
    const server = await startReplayServer([coinbasePage(byDay('2024-03-15', '2024-03-18'))]);
    try {
      const report = await syncPrices(testDb.db, {
        symbol: 'ETH-USD',
        baseUrl: server.url,
        now: new Date('2024-03-18T00:00:01Z'),
        ...noSleep,
      });
      expect(server.requests[0]?.searchParams.get('start')).toBe('2024-03-15T00:00:00.000Z');
      expect(server.requests[0]?.searchParams.get('end')).toBe('2024-03-17T00:00:00.000Z');
      expect(report).toMatchObject({ from: '2024-03-15', to: '2024-03-17', inserted: 3, partialExcluded: 1 });
      expect(await stored()).toEqual(byDay('2023-03-03', '2024-03-17'));
    } finally {
      await server.close();
    }
  });

  it('does nothing when yesterday is already stored', async () => {
    await initialSync();
    const server = await startReplayServer([]);
    try {
      const report = await syncPrices(testDb.db, { symbol: 'ETH-USD', baseUrl: server.url, now });
      expect(report).toMatchObject({ from: null, to: null, pages: 0, inserted: 0, lastDay: '2024-03-14' });
      expect(server.requests).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('retries a dropped connection, a 503 and a 429 with backoff, then succeeds', async () => {
    const server = await startReplayServer([
      { network: 'reset' },
      { status: 503, body: { message: 'service unavailable' } },
      { status: 429, body: { message: 'Public rate limit exceeded' }, headers: { 'retry-after': '2' } },
      coinbasePage(byDay('2024-03-10', '2024-03-14')),
    ]);
    const waits: number[] = [];
    const reasons: string[] = [];
    try {
      const report = await syncPrices(testDb.db, {
        symbol: 'ETH-USD',
        baseUrl: server.url,
        since: '2024-03-10',
        now,
        baseDelayMs: 100,
        sleep: async (ms) => {
          waits.push(ms);
        },
        onRetry: (r) => reasons.push(r.reason),
      });
      expect(report.inserted).toBe(5);
      expect(waits).toEqual([100, 200, 2000]);
      expect(reasons).toEqual([
        expect.stringMatching(/^network error/),
        'HTTP 503 (service unavailable)',
        'HTTP 429 (Public rate limit exceeded)',
      ]);
    } finally {
      await server.close();
    }
  });

  it('fails with a clear message after the retries and leaves the table unchanged', async () => {
    await testDb.db.insert(prices).values({ ...history[0], source: 'seed' } as PriceRow & { source: string });
    const before = await stored();
    const server = await startReplayServer([
      coinbasePage(byDay('2023-03-04', '2023-12-28')),
      ...Array.from({ length: 5 }, () => ({ status: 502, body: { message: 'bad gateway' } })),
    ]);
    try {
      const error = await syncPrices(testDb.db, {
        symbol: 'ETH-USD',
        baseUrl: server.url,
        now,
        ...noSleep,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SyncError);
      expect((error as Error).message).toBe(
        `sync of ETH-USD failed, nothing was stored: GET ${server.url}/products/ETH-USD/candles failed after 5 attempts: HTTP 502 (bad gateway)`,
      );
      expect(server.remaining()).toBe(0);
      expect(await stored()).toEqual(before);
    } finally {
      await server.close();
    }
  });

  it('does not retry a permanent error such as an unknown product', async () => {
    const server = await startReplayServer([{ status: 404, body: { message: 'NotFound' } }]);
    try {
      await expect(
        syncPrices(testDb.db, { symbol: 'XYZ-USD', baseUrl: server.url, now, ...noSleep }),
      ).rejects.toThrow(/candles failed: HTTP 404 \(NotFound\)$/);
      expect(server.requests).toHaveLength(1);
      expect(await stored()).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
