import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createActor,
  recordFailedRun,
  seedPrices,
  startTestServer,
  type TestServer,
} from '@ethcast/server/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../test/run-cli.ts';

// The forecasts are made on 500 days of prices; the 7 days after them (same walk) are imported later.
const importPrices = (server: TestServer, days: number) =>
  seedPrices(server.services.db, 'ETH-USD', '2024-01-01', days, 3);

// Several CLI processes per test (a few seconds each on a busy machine): generous timeouts.
describe('ethcast jobs and track-record (over the server)', { timeout: 300_000 }, () => {
  let server: TestServer;
  let home: string;
  let adminConfig: string;
  let userConfig: string;
  beforeAll(async () => {
    server = await startTestServer({
      JOBS: 'on',
      JOBS_POLL_SECONDS: '0.5',
      JOB_SYNC_PRICES: 'off',
      JOB_SCORE_FORECASTS: 'off',
      JOB_RECALIBRATE: 'off',
    });
    home = await mkdtemp(join(tmpdir(), 'ethcast-cli-jobs-'));
    const admin = await createActor(server.services, 'ops', 'admin');
    const user = await createActor(server.services, 'ana');
    adminConfig = join(home, 'admin.json');
    userConfig = join(home, 'user.json');
    await writeFile(adminConfig, JSON.stringify({ token: admin.token }));
    await writeFile(userConfig, JSON.stringify({ token: user.token }));
    await importPrices(server, 500);
    for (const model of ['naive', 'drift']) await user.caller.predicts.create({ model, days: 7 });
  });
  afterAll(async () => {
    await server?.stop();
    if (home) await rm(home, { recursive: true, force: true });
  });

  const cli = (args: string[], config: string) =>
    runCli(args, { env: { ETHCAST_URL: server.url, ETHCAST_CONFIG: config } });

  it('jobs run score-forecasts after later prices are imported makes the track record report them', async () => {
    const before = await cli(['track-record', '--symbol', 'ETH-USD'], userConfig);
    expect(before.code).toBe(0);
    expect(before.stdout).toContain('No scored ETH-USD forecasts yet');

    await importPrices(server, 507);
    const run = await cli(['jobs', 'run', 'score-forecasts'], adminConfig);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    // text mode prints readable text; only --json prints JSON
    expect(run.stdout).toMatch(
      /^score-forecasts: succeeded in \d+\.\d s\nScored 14 points of 2 forecasts\.\n$/,
    );
    expect(run.stdout).not.toContain('{');

    const record = await cli(['track-record', '--symbol', 'ETH-USD', '--json'], userConfig);
    expect(record.code).toBe(0);
    const parsed = JSON.parse(record.stdout) as {
      models: {
        model: string;
        overall: { n: number; forecasts: number; maeRatio: number | null; coverage80: { observed: number } };
        enough: boolean;
      }[];
    };
    expect(parsed.models.map((m) => [m.model, m.overall.n, m.overall.forecasts, m.enough])).toEqual([
      ['drift', 7, 1, false],
      ['naive', 7, 1, false],
    ]);
    for (const m of parsed.models) {
      expect(m.overall.maeRatio).toBeGreaterThan(0);
      expect(m.overall.coverage80.observed).toBeGreaterThanOrEqual(0);
    }
    const table = await cli(['track-record', '--model', 'naive'], userConfig);
    expect(table.stdout).toContain('too few to conclude anything');
    // naive is persistence itself: its error ratio to persistence is exactly 1
    expect(table.stdout).toMatch(/all\s+7\s+1\s+\S+\s+1\.000/);

    const again = await cli(['jobs', 'run', 'score-forecasts', '--json'], adminConfig);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({
      job: 'score-forecasts',
      state: 'succeeded',
      result: { points: 0, forecasts: 0 },
    });
    const recalibrated = await cli(['jobs', 'run', 'recalibrate'], adminConfig);
    expect(recalibrated.stderr).toBe('');
    expect(recalibrated.stdout).toMatch(/^recalibrate: succeeded in \d+\.\d s\n/);
    expect(recalibrated.stdout).toMatch(
      /^ETH-USD (drift|naive): calibration version 1 from 7 new outcomes$/m,
    );
    expect(recalibrated.stdout).not.toContain('{');

    const list = await cli(['jobs', 'list'], adminConfig);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/score-forecasts\s+off\s+\d{4}-\d\d-\d\d \d\d:\d\d UTC-3\s+succeeded/);
    expect(list.stdout).toMatch(/sync-prices\s+off\s+never run/);
  });

  it('refuses non-admins, unknown jobs and bad usage with one line', async () => {
    const forbidden = await cli(['jobs', 'run', 'score-forecasts'], userConfig);
    expect([forbidden.code, forbidden.stderr.trim()]).toEqual([1, 'ethcast: Admins only (ADMIN_ONLY)']);
    const unknown = await cli(['jobs', 'run', 'make-coffee'], adminConfig);
    expect([unknown.code, unknown.stderr.trim()]).toEqual([
      1,
      'ethcast: No job named make-coffee (UNKNOWN_JOB)',
    ]);
    const usage = await cli(['jobs', 'run'], adminConfig);
    expect(usage.code).toBe(2);
    expect(usage.stderr.trim()).toMatch(/^ethcast: expected one job name \(usage: ethcast jobs run/);
    // through the server: a line says what the CLI waits for, then the server's refusal in one line
    const sync = await cli(['prices:sync', '--symbol', 'eth-usd'], adminConfig);
    expect(sync.code).toBe(1);
    expect(sync.stderr.trim().split('\n')).toEqual([
      `ethcast: asking the server at ${server.url} to sync ETH-USD from its PRICES_SYNC_URL (an unreachable exchange takes it a few seconds of retries)…`,
      'ethcast: Price sync is off on this server (PRICES_SYNC_URL=off, or NODE_ENV=test) (PRICE_SYNC_OFF)',
    ]);
    const days = await cli(['track-record', '--days', 'x'], userConfig);
    expect(days.code).toBe(2);
  });

  it("jobs list --json gives a failed run's reason codes and params, a stable reason for scripts", async () => {
    await recordFailedRun(server.services.db, 'sync-prices', 'ETH-USD: could not reach the exchange', 'ops', [
      { symbol: 'ETH-USD', reason: 'EXCHANGE_UNREACHABLE', params: { symbol: 'ETH-USD' } },
    ]);
    const list = await cli(['jobs', 'list', '--json'], adminConfig);
    expect(list.code).toBe(0);
    const sync = (JSON.parse(list.stdout) as { jobs: { name: string; lastRun: unknown }[] }).jobs.find(
      (j) => j.name === 'sync-prices',
    );
    expect(sync?.lastRun).toMatchObject({
      state: 'failed',
      error: 'ETH-USD: could not reach the exchange',
      errorReasons: [{ symbol: 'ETH-USD', reason: 'EXCHANGE_UNREACHABLE', params: { symbol: 'ETH-USD' } }],
    });
  });
});
