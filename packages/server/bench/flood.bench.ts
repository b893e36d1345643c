/**
 * One user's flood against another user's forecasts (issue 23), on PostgreSQL, through HTTP:
 * user B creates forecasts one after another (each its own HTTP request), alone, then while user A
 * floods predicts.create from `--connections` connections (no pause after a refusal). A's client and
 * B's run in processes of their own (`--flooder process --victim process`, the defaults: real clients
 * are other machines, and their client work must not run on the server's event loop); `--flooder thread
 * --victim inline` is the method before (A in a worker thread of the server's process, B on its loop).
 * Prints B's create p50/p95 in both cases and their ratio (target ≤ 2×), what A got, and where B's time
 * went on the server: the reservation, the wait for a slot, the create itself (and how many of A's
 * creates ran beside it), the forecast computation, the event loop's delay and utilisation. Rounds
 * alternate alone/flood; the medians over rounds are printed last. Not a test: figures for
 * docs/benchmarks.md.
 *
 *   pnpm bench flood [-- --runs 3 --creates 40 --connections 200 --model naive --rate off
 *     --flood predicts.create --flooder process --victim process]
 *
 * `--rate off` (the default) lifts A's rate limit and daily cap, the worst case: only the in-progress
 * limit and the fair queue stand between A and B. `--rate default` keeps the server's defaults.
 */
import { fork } from 'node:child_process';
import { loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
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
  fmt,
  machine,
  median,
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
  /** where A's client runs: its own process (a real flooder is another machine) or a worker thread */
  flooder: 'process',
  /** where B's client runs: its own process, or in the server's process (the method before) */
  victim: 'process',
});
const runs = Number(values.runs);
const creates = Number(values.creates);
const connections = Number(values.connections);
if (values.flooder !== 'process' && values.flooder !== 'thread') {
  throw new Error('--flooder is process or thread');
}
if (values.victim !== 'process' && values.victim !== 'inline')
  throw new Error('--victim is process or inline');

/** A child process running the TypeScript file `file` (relative to this folder), `data` in `env[key]`. */
const forkTs = (file: string, key: string, data: unknown) =>
  fork(new URL(file, import.meta.url).pathname, [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, [key]: JSON.stringify(data) },
  });

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
      )}; flooder ${values.flooder}, victim ${values.victim}; PREDICT_CONCURRENCY ${config.predictConcurrency}; limits ${JSON.stringify(config.forecastLimits)}`,
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

  const flooderData = {
    url: server.url,
    token: flooder.token,
    connections,
    model: values.model,
    procedure: values.flood,
  };
  type FloodResult = { requests: number; statuses: Record<string, number>; ms: number };
  const flooderChannel = (() => {
    if (values.flooder === 'process') {
      const child = forkTs('./flood.worker.ts', 'FLOOD_DATA', flooderData);
      return {
        send: (message: object) => child.send(message),
        next: () =>
          new Promise<FloodResult>((resolve) => child.once('message', (m) => resolve(m as FloodResult))),
        end: async () => {
          child.send({ exit: true });
          await new Promise((resolve) => child.once('exit', resolve));
        },
      };
    }
    const worker = startTsWorker('./flood.worker.ts', flooderData);
    return {
      send: (message: object) => worker.postMessage(message),
      next: () => new Promise<FloodResult>((resolve) => worker.once('message', resolve)),
      end: async () => {
        worker.postMessage({ exit: true });
        await worker.terminate();
      },
    };
  })();

  // Where B's time goes on the server: waiting in the gate (reservation + queue for a slot) and running
  // (the create itself), read around the gate's queue; and the event loop's delay in each phase.
  const bId = String(other.user.id);
  const queue = server.services.forecastGate.queue;
  const queueRun = queue.run.bind(queue);
  const newTimes = () => ({
    reserve: [] as number[],
    slot: [] as number[],
    run: [] as number[],
    compute: [] as number[],
    /** per B create: A's creates running when it started, and started while it ran */
    overlap: [] as number[],
  });
  let gateTimes = newTimes();
  let othersRunning = 0;
  let othersStarted = 0;
  queue.run = (key, task, admitted) => {
    if (String(key) !== bId) {
      return queueRun(
        key,
        async () => {
          othersRunning++;
          othersStarted++;
          try {
            return await task();
          } finally {
            othersRunning--;
          }
        },
        admitted,
      );
    }
    const t0 = performance.now();
    let reserved = t0;
    return queueRun(
      key,
      async () => {
        const t1 = performance.now();
        gateTimes.slot.push(t1 - reserved);
        const startedBefore = othersStarted;
        const runningAtStart = othersRunning;
        try {
          return await task();
        } finally {
          gateTimes.run.push(performance.now() - t1);
          gateTimes.overlap.push(runningAtStart + othersStarted - startedBefore);
        }
      },
      async () => {
        await admitted?.();
        reserved = performance.now();
        gateTimes.reserve.push(reserved - t0);
      },
    );
  };
  // the forecast computation itself (CPU on the event loop), every user's
  const registry = await server.services.models();
  const forecast = registry.forecast.bind(registry);
  registry.forecast = async (args) => {
    const t0 = performance.now();
    try {
      return await forecast(args);
    } finally {
      gateTimes.compute.push(performance.now() - t0);
    }
  };
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  let elu = performance.eventLoopUtilization();
  const phase = () => {
    const ms = (ns: number) => ns / 1e6;
    const used = performance.eventLoopUtilization(elu);
    const t = gateTimes;
    const figures = `reserve p50 ${fmt(median(t.reserve))}, wait for a slot p50 ${fmt(median(t.slot))}, run p50 ${fmt(median(t.run))} (A's creates beside it: mean ${(t.overlap.reduce((a, b) => a + b, 0) / Math.max(1, t.overlap.length)).toFixed(2)}); forecast compute p50 ${fmt(median(t.compute))} (${t.compute.length} creates); loop delay p50 ${fmt(ms(loopDelay.percentile(50)))} p99 ${fmt(ms(loopDelay.percentile(99)))}; loop busy ${(used.utilization * 100).toFixed(0)} %`;
    gateTimes = newTimes();
    loopDelay.reset();
    elu = performance.eventLoopUtilization();
    return figures;
  };
  loopDelay.enable();

  const victim =
    values.victim === 'process'
      ? forkTs('./flood.victim.ts', 'VICTIM_DATA', {
          url: server.url,
          token: other.token,
          creates,
          model: values.model,
        })
      : null;
  const measure = async () => {
    if (victim) {
      const answer = new Promise<{ times: number[] }>((resolve) =>
        victim.once('message', (m) => resolve(m as { times: number[] })),
      );
      victim.send({ measure: true });
      return (await answer).times;
    }
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
    phase();
    const a = await measure();
    const alonePhase = phase();
    flooderChannel.send({ start: true });
    await new Promise((r) => setTimeout(r, 1000)); // let the flood build up
    phase();
    const f = await measure();
    const floodPhase = phase();
    const done = flooderChannel.next();
    flooderChannel.send({ stop: true });
    const flood = await done;
    alone.push(median(a));
    flooded.push(median(f));
    console.log(
      `round ${run}: B alone p50 ${fmt(median(a))} p95 ${fmt(quantile(a, 0.95))}; during A's flood of ${values.flood} (${connections} connections) p50 ${fmt(median(f))} p95 ${fmt(quantile(f, 0.95))} (${(median(f) / median(a)).toFixed(2)}×); A sent ${flood.requests} requests in ${(flood.ms / 1000).toFixed(1)} s: ${JSON.stringify(flood.statuses)}; load ${loadavg()[0]?.toFixed(1)}`,
    );
    console.log(`  B alone: ${alonePhase}\n  B during the flood: ${floodPhase}`);
  }
  await flooderChannel.end();
  if (victim) {
    victim.send({ exit: true });
    await new Promise((resolve) => victim.once('exit', resolve));
  }
  console.log(
    `median of ${runs} rounds: B's create p50 alone ${fmt(median(alone))}, during the flood ${fmt(median(flooded))}: ${(median(flooded) / median(alone)).toFixed(2)}× (target ≤ 2×)`,
  );
  await server.close();
});
