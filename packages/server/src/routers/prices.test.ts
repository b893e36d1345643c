import { TRPCClientError } from '@ethcast/client';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZodError } from 'zod';
import { createContextInner } from '../context.ts';
import { upsertPrices } from '../db/queries/price-upsert.ts';
import { getRecentCloses } from '../db/queries/prices.ts';
import { loadConfig } from '../env.ts';
import { type AppRouter, createCaller } from '../router.ts';
import { createServices } from '../services.ts';
import { createTestDb, type TestDb, testEngine } from '../test/db.ts';
import { generateCandles } from '../test/price-csv.ts';
import { startTestServer } from '../test/server.ts';

describe(`prices router (${testEngine})`, () => {
  let testDb: TestDb;
  let caller: ReturnType<typeof createCaller>;
  const eth = generateCandles('ETH-USD', '2020-01-01', 400, 11);
  const btc = generateCandles('BTC-USD', '2020-06-01', 10, 12).filter((r) => r.day !== '2020-06-05');

  beforeAll(async () => {
    testDb = await createTestDb();
    await upsertPrices(testDb.db, [...eth, ...btc], 'test');
    const services = createServices(loadConfig({ NODE_ENV: 'test' }), testDb.handle);
    caller = createCaller(await createContextInner(services));
  });
  afterAll(() => testDb?.close());

  const candle = ({ symbol: _, ...rest }: (typeof eth)[number]) => rest;

  it('lists symbols with first and last day, row count and gaps, ETH-USD first', async () => {
    expect(await caller.prices.symbols()).toEqual([
      { symbol: 'ETH-USD', firstDay: '2020-01-01', lastDay: '2021-02-03', rows: 400, missingDays: 0 },
      { symbol: 'BTC-USD', firstDay: '2020-06-01', lastDay: '2020-06-10', rows: 9, missingDays: 1 },
    ]);
  });

  it('returns a range ascending, inclusive, capped to the most recent days', async () => {
    const all = await caller.prices.range({ symbol: 'ETH-USD' });
    expect(all).toEqual({ symbol: 'ETH-USD', candles: eth.map(candle), truncated: false });
    const part = await caller.prices.range({ symbol: 'eth-usd', from: '2020-02-01', to: '2020-02-29' });
    expect(part.candles.map((c) => c.day)).toHaveLength(29);
    expect(part.candles[0]).toEqual(candle(eth[31] as (typeof eth)[number]));
    const capped = await caller.prices.range({ symbol: 'ETH-USD', to: '2020-01-31', limit: 5 });
    expect(capped.truncated).toBe(true);
    expect(capped.candles.map((c) => c.day)).toEqual([
      '2020-01-27',
      '2020-01-28',
      '2020-01-29',
      '2020-01-30',
      '2020-01-31',
    ]);
    expect(await caller.prices.range({ symbol: 'SOL-USD' })).toEqual({
      symbol: 'SOL-USD',
      candles: [],
      truncated: false,
    });
  });

  it.each([
    [{ symbol: 'ETH' }, /^symbol: symbol must look like ETH-USD/],
    [{ symbol: 'ETH-USD', from: '2021-02-30' }, /from: is not a real calendar day/],
    [{ symbol: 'ETH-USD', to: '31/01/2021' }, /to: must be a day like 2024-01-31/],
    [{ symbol: 'ETH-USD', from: '2021-02-01', to: '2021-01-01' }, /from: must not be after "to"/],
    [{ symbol: 'ETH-USD', limit: 10_001 }, /limit/],
    [{ symbol: 'ETH-USD', extra: 1 }, /Unrecognized key: "extra"/],
  ])('rejects bad range input %o with a clear message', async (input, message) => {
    const error = await caller.prices.range(input as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe('BAD_REQUEST');
    const issues = ((error as TRPCError).cause as ZodError).issues;
    expect(issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')).toMatch(message);
  });

  it('sends field errors over HTTP', async () => {
    const server = await startTestServer({}, { testDb });
    try {
      const error = await server
        .client()
        .prices.range.query({ symbol: 'ETH-USD', from: '2021-02-30' })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TRPCClientError);
      expect((error as TRPCClientError<AppRouter>).message).toBe(
        'Invalid input: from: is not a real calendar day',
      );
      expect((error as TRPCClientError<AppRouter>).data?.fieldErrors).toEqual({
        from: ['is not a real calendar day'],
      });
      const latest = await server.client().prices.latest.query({ symbol: 'ETH-USD' });
      expect(latest.close).toBe(eth.at(-1)?.close);
    } finally {
      await server.stop();
    }
  });

  it('returns the latest candle, or NOT_FOUND for an unknown symbol', async () => {
    const latest = await caller.prices.latest({ symbol: 'BTC-USD' });
    expect(latest).toMatchObject({ symbol: 'BTC-USD', ...candle(btc.at(-1) as (typeof btc)[number]) });
    expect(latest.source).toBe('test');
    await expect(caller.prices.latest({ symbol: 'XRP-USD' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('getRecentCloses returns day and close of the most recent days, ascending', async () => {
    const closes = await getRecentCloses(testDb.db, { symbol: 'ETH-USD', limit: 3 });
    expect(closes).toEqual(eth.slice(-3).map((c) => ({ day: c.day, close: c.close })));
  });
});
