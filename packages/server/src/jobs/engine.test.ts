import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { upsertPrices } from '../db/queries/price-upsert.ts';
import { getLastDay } from '../db/queries/prices.ts';
import { createTestDb, type TestDb, testEngine } from '../test/db.ts';
import { allRuns, coinbasePage, jobsEnv, manualClock, waitFor } from '../test/jobs.ts';
import { generateCandles } from '../test/price-csv.ts';
import { startReplayServer } from '../test/replay-server.ts';
import { startTestServer, type TestServer } from '../test/server.ts';
import { jobsOverview } from './overview.ts';

const history = generateCandles('ETH-USD', '2026-01-01', 95, 7); // 2026-01-01 .. 2026-04-05
const upTo = (day: string) => history.filter((r) => r.day <= day);
const only = (day: string) => history.filter((r) => r.day === day);

describe(`scheduled jobs with a controlled clock (${testEngine})`, () => {
  let testDb: TestDb;
  let server: TestServer | null = null;
  beforeAll(async () => {
    testDb = await createTestDb();
  });
  afterEach(async () => {
    await server?.stop();
    server = null;
    await testDb.reset();
  });
  afterAll(() => testDb?.close());

  /**
   * Starts the server on `clock` with its jobs on (polled every half second), only sync-prices
   * scheduled, `env` on top; returns its job engine and services.
   */
  const startJobs = async (env: Record<string, string>, clock: ReturnType<typeof manualClock>) => {
    const started = await startTestServer(jobsEnv(['sync-prices'], env), { testDb, clock });
    server = started;
    if (!started.jobs) throw new Error('jobs did not start');
    return { engine: started.jobs, services: started.services };
  };

  it('runs each daily occurrence once, and sync-prices fetches only the days that have closed', async () => {
    await upsertPrices(testDb.db, upTo('2026-03-31'), 'test');
    const exchange = await startReplayServer([
      // asked on 04-02 00:20 for 04-01 (the only closed day missing); the exchange also sends the
      // still-open candle of 04-02, which must not be stored
      coinbasePage([...only('2026-04-01'), { ...history[91], close: 1 } as (typeof history)[number]]),
      coinbasePage(only('2026-04-02')),
    ]);
    const clock = manualClock('2026-04-02T00:20:00Z');
    const { engine } = await startJobs({ PRICES_SYNC_URL: exchange.url }, clock);
    const succeeded = (count: number) =>
      waitFor(`${count} succeeded sync-prices runs`, async () => {
        const runs = (await allRuns(testDb.db)).filter((r) => r.job === 'sync-prices');
        return runs.filter((r) => r.state === 'succeeded').length === count && runs;
      });

    await succeeded(1);
    expect(await getLastDay(testDb.db, 'ETH-USD')).toBe('2026-04-01');
    // the same occurrence, seen again and again, is not run again
    for (let i = 0; i < 5; i++) await engine.tick();

    clock.set('2026-04-03T00:20:00Z');
    await engine.tick();
    const runs = await succeeded(2);
    expect(await getLastDay(testDb.db, 'ETH-USD')).toBe('2026-04-02');

    expect(runs.map((r) => [r.occurrence?.toISOString(), r.trigger, r.attempts])).toEqual([
      ['2026-04-02T00:05:00.000Z', 'schedule', 1],
      ['2026-04-03T00:05:00.000Z', 'schedule', 1],
    ]);
    expect(exchange.requests.map((u) => [u.searchParams.get('start'), u.searchParams.get('end')])).toEqual([
      ['2026-04-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z'],
      ['2026-04-02T00:00:00.000Z', '2026-04-02T00:00:00.000Z'],
    ]);
    expect(exchange.remaining()).toBe(0);
    await exchange.close();
  });

  it('a switched-off job is never scheduled, but runs by hand', async () => {
    const clock = manualClock('2026-04-02T00:20:00Z');
    const { engine, services } = await startJobs({ JOB_SYNC_PRICES: 'off' }, clock);
    await engine.tick();
    expect(await allRuns(testDb.db)).toEqual([]);
    const run = await engine.runNow('score-forecasts', 'ana');
    expect(run).toMatchObject({
      job: 'score-forecasts',
      trigger: 'manual',
      state: 'succeeded',
      requestedBy: 'ana',
    });
    expect(run.result).toEqual({ points: 0, forecasts: 0 });
    const overview = await jobsOverview(services, clock());
    expect(overview.map((j) => [j.name, j.schedule, j.nextRunAt, j.lastRun?.state ?? null])).toEqual([
      ['sync-prices', null, null, null],
      ['score-forecasts', null, null, 'succeeded'],
      ['recalibrate', null, null, null],
    ]);
  });

  it('retries a failed run with backoff and records every attempt', async () => {
    await upsertPrices(testDb.db, upTo('2026-03-31'), 'test');
    const exchange = await startReplayServer([
      { status: 400, body: { message: 'bad request' } }, // not retried by the sync itself
      coinbasePage(only('2026-04-01')),
    ]);
    const clock = manualClock('2026-04-02T00:20:00Z');
    await startJobs({ JOBS_RETRY_DELAY_SECONDS: '1', PRICES_SYNC_URL: exchange.url }, clock);
    const [run] = await waitFor('the sync to succeed on a retry', async () => {
      const runs = await allRuns(testDb.db);
      return runs[0]?.state === 'succeeded' && runs;
    });
    expect(run).toMatchObject({ job: 'sync-prices', attempts: 2, error: null });
    expect(await getLastDay(testDb.db, 'ETH-USD')).toBe('2026-04-01');
    await exchange.close();
  });

  it('records a failed sync by reason code and params for each failing symbol, for screens to translate', async () => {
    await upsertPrices(testDb.db, upTo('2026-03-31'), 'test');
    await upsertPrices(
      testDb.db,
      generateCandles('BTC-USD', '2026-01-01', 90, 3), // 2026-01-01 .. 2026-03-31
      'test',
    );
    const exchange = await startReplayServer([
      { status: 404, body: { message: 'NotFound' } }, // ETH-USD (synced first): permanent, not retried
      { status: 200, body: { not: 'a list' } }, // BTC-USD: not candles
    ]);
    const clock = manualClock('2026-04-02T00:20:00Z');
    const { engine, services } = await startJobs(
      { JOBS_RETRY_LIMIT: '0', PRICES_SYNC_URL: exchange.url, JOB_SYNC_PRICES: 'off' },
      clock,
    );
    const run = await engine.runNow('sync-prices', 'ana');
    expect(run.state).toBe('failed');
    expect(run.errorReasons).toEqual([
      { symbol: 'ETH-USD', reason: 'EXCHANGE_REFUSED', params: { symbol: 'ETH-USD', status: 404 } },
      { symbol: 'BTC-USD', reason: 'EXCHANGE_BAD_RESPONSE', params: { symbol: 'BTC-USD' } },
    ]);
    // the stored text stays, for old clients and logs
    expect(run.error).toMatch(/ETH-USD.*BTC-USD/);
    const [sync] = await jobsOverview(services, clock());
    expect(sync?.lastRun?.errorReasons).toEqual(run.errorReasons);
    await exchange.close();
  });
});
