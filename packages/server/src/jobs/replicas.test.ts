import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../db/client.ts';
import { upsertPrices } from '../db/queries/price-upsert.ts';
import { getLastDay } from '../db/queries/prices.ts';
import { createTestDb, type TestDb, testEngine } from '../test/db.ts';
import { allRuns, coinbasePage, waitFor } from '../test/jobs.ts';
import { generateCandles, storedPrices } from '../test/price-csv.ts';
import { startReplayServer } from '../test/replay-server.ts';
import { type Replica, startReplica } from '../test/replicas.ts';

// Several server processes share one database only on PostgreSQL (PGlite is embedded in one process).
const onPostgres = testEngine === 'postgres';
if (!onPostgres) {
  console.warn('jobs/replicas.test.ts: skipped, set TEST_DATABASE_URL to run replicas on PostgreSQL');
}

const history = generateCandles('ETH-USD', '2025-01-01', 460, 11); // 2025-01-01 .. 2026-04-05
const between = (from: string, to: string) => history.filter((r) => r.day >= from && r.day <= to);

describe.runIf(onPostgres)('job replicas: real server processes on one PostgreSQL database', () => {
  let testDb: TestDb;
  const replicas: Replica[] = [];
  beforeAll(async () => {
    testDb = await createTestDb();
  });
  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.kill()));
    await testDb?.close();
  });

  /** A replica's environment: the test database, jobs on (polled every half second), `env` on top. */
  const jobsEnv = (env: Record<string, string>) => ({
    DATABASE_URL: testDb.url as string,
    JOBS: 'on',
    JOBS_POLL_SECONDS: '0.5',
    ...env,
  });

  it('three replicas run each daily job exactly once per day', async () => {
    await upsertPrices(testDb.db, between('2025-01-01', '2026-03-31'), 'test');
    // exactly one recorded answer per closed day: a second fetch of a day would get a 500 and fail
    const exchange = await startReplayServer([
      coinbasePage(between('2026-04-01', '2026-04-01')),
      coinbasePage(between('2026-04-02', '2026-04-02')),
    ]);
    const env = jobsEnv({ PRICES_SYNC_URL: exchange.url });
    const day1 = '2026-04-02T00:40:00Z'; // after all three of the day's occurrences (00:05, 00:15, 00:30)
    replicas.push(...(await Promise.all([1, 2, 3].map(() => startReplica(env, day1)))));
    const finished = (count: number) =>
      waitFor(
        `${count} finished runs`,
        async () => {
          const runs = await allRuns(testDb.db);
          return runs.filter((r) => r.state === 'succeeded' || r.state === 'failed').length >= count && runs;
        },
        60_000,
      );
    await finished(3);
    // every replica keeps polling the same occurrences for a while: still one run each
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const day2 = '2026-04-03T00:40:00Z';
    await Promise.all(replicas.map((r) => r.setClock(day2)));
    await finished(6);
    await new Promise((resolve) => setTimeout(resolve, 2000));

    const runs = await allRuns(testDb.db);
    expect(runs.map((r) => [r.job, r.occurrence?.toISOString(), r.state, r.attempts])).toEqual([
      ['recalibrate', '2026-04-02T00:30:00.000Z', 'succeeded', 1],
      ['recalibrate', '2026-04-03T00:30:00.000Z', 'succeeded', 1],
      ['score-forecasts', '2026-04-02T00:15:00.000Z', 'succeeded', 1],
      ['score-forecasts', '2026-04-03T00:15:00.000Z', 'succeeded', 1],
      ['sync-prices', '2026-04-02T00:05:00.000Z', 'succeeded', 1],
      ['sync-prices', '2026-04-03T00:05:00.000Z', 'succeeded', 1],
    ]);
    // pg-boss holds one job per run as well
    const queued = await queryRows<{ n: number }>(testDb.db, sql`select count(*)::int as n from pgboss.job`);
    expect(queued[0]?.n).toBe(6);
    expect(exchange.requests).toHaveLength(2);
    expect(exchange.remaining()).toBe(0);
    expect(await getLastDay(testDb.db, 'ETH-USD')).toBe('2026-04-02');
    await exchange.close();
    await Promise.all(replicas.splice(0).map((r) => r.stop()));
  }, 120_000);

  it('a replica killed mid-sync leaves no prices half-written, and another replica completes the run', async () => {
    await testDb.reset();
    await queryRows(testDb.db, sql`delete from pgboss.job`);
    // 396 days to fetch: two pages of candles; the first is answered, the second hangs until the kill
    await upsertPrices(testDb.db, between('2025-01-01', '2025-03-01'), 'test');
    const before = await storedPrices(testDb.db);
    const exchange = await startReplayServer([
      coinbasePage(between('2025-03-02', '2025-12-26')),
      { hold: true },
      coinbasePage(between('2025-03-02', '2025-12-26')),
      coinbasePage(between('2025-12-27', '2026-04-01')),
    ]);
    const env = jobsEnv({
      JOBS_TIMEOUT_SECONDS: '2',
      JOBS_RETRY_DELAY_SECONDS: '1',
      PRICES_SYNC_URL: exchange.url,
      JOB_SCORE_FORECASTS: 'off',
      JOB_RECALIBRATE: 'off',
    });
    const clock = '2026-04-02T00:20:00Z';
    const first = await startReplica(env, clock);
    replicas.push(first);
    await waitFor('the first replica to be waiting on page 2', async () => exchange.requests.length === 2);
    const [running] = await allRuns(testDb.db);
    expect(running).toMatchObject({ job: 'sync-prices', state: 'running', attempts: 1 });

    await first.kill();
    expect(await storedPrices(testDb.db)).toEqual(before);

    const second = await startReplica(env, clock);
    replicas.push(second);
    const [run] = await waitFor(
      'the run to finish on the second replica',
      async () => {
        const runs = await allRuns(testDb.db);
        return runs[0]?.state === 'succeeded' && runs;
      },
      60_000,
    );
    expect(run).toMatchObject({ job: 'sync-prices', trigger: 'schedule', state: 'succeeded', attempts: 2 });
    const after = await storedPrices(testDb.db);
    expect(after).toHaveLength(before.length + 396);
    expect(await getLastDay(testDb.db, 'ETH-USD')).toBe('2026-04-01');
    expect(exchange.remaining()).toBe(0);
    await exchange.close();
  }, 120_000);
});
