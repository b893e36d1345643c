/**
 * One user's flood against another user's forecasts (issue 23), on PostgreSQL, through HTTP:
 * user B creates forecasts one after another (each its own HTTP request), alone, then while user A
 * floods predicts.create from `--connections` connections (a worker thread, no pause after a refusal).
 * Prints B's create p50/p95 in both cases and their ratio (target ≤ 2×), and what A got. Rounds
 * alternate alone/flood; the medians over rounds are printed last. Not a test: figures for
 * docs/benchmarks.md.
 *
 *   pnpm bench flood [-- --runs 3 --creates 40 --connections 200 --model naive --rate off
 *     --flood predicts.create]
 *
 * `--rate off` (the default) lifts A's rate limit and daily cap, the worst case: only the in-progress
 * limit and the fair queue stand between A and B. `--rate default` keeps the server's defaults.
 */
import { loadavg } from 'node:os';
import { createEthcastClient } from '@ethcast/client';
import { sql } from 'drizzle-orm';
import { releaseForecast, reserveForecast } from '../src/db/queries/forecast-quotas.ts';
import { FORECAST_LEASE_MS } from '../src/domain/forecast-policy.ts';
import { startServer } from '../src/server.ts';
import { createActor } from '../src/test/actors.ts';
import { seedPrices } from '../src/test/index.ts';
import {
  benchArgs,
  benchServerConfig,
  machine,
  quantile,
  startTsWorker,
  withMigratedBenchDb,
} from './harness.ts';

const values = benchArgs({
  runs: '3',
  creates: '40',
  connections: '200',
  model: 'naive',
  rate: 'off',
  /** what A floods: predicts.create, or for comparison a read such as users.me */
  flood: 'predicts.create',
});
const runs = Number(values.runs);
const creates = Number(values.creates);
const connections = Number(values.connections);
const fmt = (ms: number) => `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;
const median = (xs: number[]) => quantile(xs, 0.5);

await withMigratedBenchDb('flood', { base: values.base, max: 10 }, async ({ url, handle }) => {
  const config = benchServerConfig(
    url,
    values.rate === 'off' ? { FORECAST_RATE_PER_MINUTE: 'off', FORECAST_DAILY_CAP: 'off' } : {},
  );
  const server = await startServer(config, { dbHandle: handle, logger: false });
  await seedPrices(handle.db, 'ETH-USD', '2023-01-01', 1000, 42);
  await server.services.models();
  const flooder = await createActor(server.services, 'bench_flooder');
  // B is an admin only so that its own rate limit never refuses it here (it is held to the same
  // in-progress limit and fair queue as anyone); with --rate off nobody has a rate limit anyway
  const other = await createActor(server.services, 'bench_other', values.rate === 'off' ? 'user' : 'admin');
  const client = createEthcastClient({ url: server.url, getToken: () => other.token, batch: false });
  console.log(
    `${machine()}; load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(
        ' ',
      )}; PREDICT_CONCURRENCY ${config.predictConcurrency}; limits ${JSON.stringify(config.forecastLimits)}`,
  );

  // What the limits cost a create: the reservation and its release (two statements), against a bare
  // `select 1` round trip, interleaved, with the default limits (rate and daily cap on).
  const costUser = await createActor(server.services, 'bench_cost');
  const limits = { userConcurrency: 4, ratePerMinute: 1e5, burst: 10_000, dailyCap: 10_000_000 };
  const quota: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < 300; i++) {
    let t0 = performance.now();
    const lease = await reserveForecast(handle.db, {
      userId: costUser.user.id,
      now: new Date(),
      leaseMs: FORECAST_LEASE_MS,
      limits,
      exempt: false,
    });
    if (!lease) throw new Error('the cost measurement was refused');
    await releaseForecast(handle.db, lease, { stored: true });
    if (i >= 50) quota.push(performance.now() - t0);
    t0 = performance.now();
    await handle.db.execute(sql`select 1`);
    if (i >= 50) bare.push(performance.now() - t0);
  }
  console.log(
    `per create: reserve + release p50 ${fmt(median(quota))} p95 ${fmt(quantile(quota, 0.95))}; one bare round trip (select 1) p50 ${fmt(median(bare))}`,
  );

  const worker = startTsWorker('./flood.worker.ts', {
    url: server.url,
    token: flooder.token,
    connections,
    model: values.model,
    procedure: values.flood,
  });
  const floodStopped = () =>
    new Promise<{ requests: number; statuses: Record<string, number>; ms: number }>((resolve) =>
      worker.once('message', resolve),
    );

  const measure = async () => {
    const times: number[] = [];
    for (let i = 0; i < creates; i++) {
      const t0 = performance.now();
      await client.predicts.create.mutate({ model: values.model, days: 30 });
      times.push(performance.now() - t0);
    }
    return times;
  };

  await measure(); // warm-up
  const alone: number[] = [];
  const flooded: number[] = [];
  for (let run = 1; run <= runs; run++) {
    const a = await measure();
    worker.postMessage({ start: true });
    await new Promise((r) => setTimeout(r, 1000)); // let the flood build up
    const f = await measure();
    const done = floodStopped();
    worker.postMessage({ stop: true });
    const flood = await done;
    alone.push(median(a));
    flooded.push(median(f));
    console.log(
      `round ${run}: B alone p50 ${fmt(median(a))} p95 ${fmt(quantile(a, 0.95))}; during A's flood of ${values.flood} (${connections} connections) p50 ${fmt(median(f))} p95 ${fmt(quantile(f, 0.95))} (${(median(f) / median(a)).toFixed(2)}×); A sent ${flood.requests} requests in ${(flood.ms / 1000).toFixed(1)} s: ${JSON.stringify(flood.statuses)}`,
    );
  }
  worker.postMessage({ exit: true });
  await worker.terminate();
  console.log(
    `median of ${runs} rounds: B's create p50 alone ${fmt(median(alone))}, during the flood ${fmt(median(flooded))}: ${(median(flooded) / median(alone)).toFixed(2)}× (target ≤ 2×)`,
  );
  await server.close();
});
