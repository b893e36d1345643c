/**
 * Predictions API on PostgreSQL, through HTTP with @ethcast/client:
 *  1. predicts.create latency with a warm model (default lstm), p50/p95;
 *  2. bursts of 50 concurrent predicts.create (50 separate HTTP requests) while health is polled: health
 *     latency during the bursts;
 *  3. predicts.list with 1,000,000 rows in the table: a page of 50, p50/p95, and the query plans.
 * Not a test: prints figures for docs/benchmarks.md.
 *
 *   pnpm tsx packages/server/bench/predicts.bench.ts [--model lstm] [--requests 200] [--bursts 5]
 *     [--concurrency 2] [--rows 1000000] [--base postgres://…/postgres]
 */
import { createEthcastClient } from '@ethcast/client';
import { sql } from 'drizzle-orm';
import { queryRows } from '../src/db/client.ts';
import { startServer } from '../src/server.ts';
import { createActor } from '../src/test/actors.ts';
import { seedPrices } from '../src/test/index.ts';
import {
  benchArgs,
  benchServerConfig,
  fmt,
  machine,
  p50p95,
  quantile,
  startTsWorker,
  timed,
  withMigratedBenchDb,
} from './harness.ts';

const values = benchArgs({
  model: 'lstm',
  requests: '200',
  bursts: '5',
  /** PREDICT_CONCURRENCY of the server under test */
  concurrency: '2',
  rows: '1000000',
});

await withMigratedBenchDb('predicts', { base: values.base, max: 10 }, async ({ url, handle }) => {
  const config = benchServerConfig(url, {
    PREDICT_CONCURRENCY: values.concurrency,
    // one user makes every create here (bursts of 50): the per-user limits are lifted, so this measures
    // what it measured before them (their cost, one statement per create, is included)
    FORECAST_USER_CONCURRENCY: '1000',
    FORECAST_RATE_PER_MINUTE: 'off',
    FORECAST_DAILY_CAP: 'off',
  });
  const server = await startServer(config, { dbHandle: handle, logger: false });
  const actor = await createActor(server.services, 'bench_user');
  await seedPrices(handle.db, 'ETH-USD', '2023-01-01', 1000, 42);
  // Sequential calls gain nothing from batching, and the batching link waits a timer tick (~1 ms in
  // Node) before sending: latency is measured one request per call, as a server sees it. The batching
  // client's list latency is printed too.
  const client = createEthcastClient({ url: server.url, getToken: () => actor.token, batch: false });
  console.log(machine());
  await server.services.models(); // warm registry

  // 1. create latency, warm
  for (let i = 0; i < 50; i++) await client.predicts.create.mutate({ model: values.model, days: 30 });
  const latencies: number[] = [];
  for (let i = 0; i < Number(values.requests); i++) {
    latencies.push((await timed(() => client.predicts.create.mutate({ model: values.model, days: 30 })))[1]);
  }
  console.log(
    `predicts.create (${values.model}, 30 days) over HTTP, ${latencies.length} sequential: ${p50p95(latencies)}`,
  );

  // 2. bursts of 50 concurrent creates, each its own HTTP request, while health is polled. The 50 calls
  // come from a worker thread: in production the clients are other machines, so their CPU work must not
  // sit on the server's event loop and inflate what the health poller (on that loop) measures.
  const burster = startTsWorker('./predicts-burst.worker.ts', {
    url: server.url,
    token: actor.token,
    model: values.model,
  });
  const burst = (n: number) =>
    new Promise<number>((resolve, reject) => {
      burster.once('message', (m: { ms?: number; error?: string }) =>
        m.error === undefined ? resolve(m.ms ?? Number.NaN) : reject(new Error(m.error)),
      );
      burster.postMessage({ burst: n });
    });
  await burst(50); // warm the worker's client and connections; its rows are not counted below
  const healthTimes: number[] = [];
  const burstTimes: number[] = [];
  const [before] = await queryRows<{ rows: number; logs: number }>(
    handle.db,
    sql`select (select count(*) from predict)::int as rows, (select count(*) from logs where action like 'predict success%')::int as logs`,
  );
  for (let b = 0; b < Number(values.bursts); b++) {
    let burstDone = false;
    const poller = (async () => {
      while (!burstDone) {
        healthTimes.push((await timed(() => client.health.query()))[1]);
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
    burstTimes.push(await burst(50));
    burstDone = true;
    await poller;
  }
  burster.postMessage({ stop: true });
  await burster.terminate();
  const [after] = await queryRows<{ rows: number; logs: number }>(
    handle.db,
    sql`select (select count(*) from predict)::int as rows, (select count(*) from logs where action like 'predict success%')::int as logs`,
  );
  console.log(
    `${values.bursts} bursts of 50 concurrent predicts.create (PREDICT_CONCURRENCY=${values.concurrency}): +${(after?.rows ?? 0) - (before?.rows ?? 0)} rows, +${(after?.logs ?? 0) - (before?.logs ?? 0)} log rows; a burst takes p50 ${fmt(quantile(burstTimes, 0.5))}; health during the bursts (${healthTimes.length} calls): ${p50p95(healthTimes)}, max ${fmt(Math.max(...healthTimes))}`,
  );

  // 3. list with 1,000,000 rows: 1,000 users × 1,000 forecasts each
  const rows = Number(values.rows);
  const users = 1000;
  // a realistic 7-day forecast, as create stores it (the list reads only its last point)
  const sevenDays = JSON.stringify(
    Array.from({ length: 7 }, (_, i) => ({
      day: `2026-04-0${i + 1}`,
      value: 2000 + i * 3.217,
      lower80: 1900 - i * 11.31,
      upper80: 2100 + i * 12.77,
      lower95: 1800 - i * 17.93,
      upper95: 2200 + i * 19.41,
    })),
  );
  const t0 = performance.now();
  await handle.db.execute(
    sql.raw(
      `insert into users (username, password) select 'u' || g, 'x' from generate_series(1, ${users}) g`,
    ),
  );
  await handle.db.execute(
    sql.raw(`insert into predict (user_id, username_predict, symbol, model, model_version, days, data_through, forecast, forecast_result)
      select u.id, u.username, 'ETH-USD', 'lstm', 'v1', 7, date '2026-03-31', 'bench', '${sevenDays}'::jsonb
      from generate_series(1, ${rows / users}) s, users u where u.username like 'u%'`),
  );
  await handle.db.execute(sql`analyze predict`);
  const [count] = await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from predict`);
  console.log(`seeded ${count?.n} predict rows in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const someUser = await createActor(server.services, 'bench_list_user');
  await handle.db.execute(
    sql.raw(
      `update predict set user_id = ${someUser.user.id} where id in (select id from predict where username_predict = 'u500')`,
    ),
  );
  const listClient = createEthcastClient({ url: server.url, getToken: () => someUser.token, batch: false });
  const batchingListClient = createEthcastClient({ url: server.url, getToken: () => someUser.token });
  const adminActor = await createActor(server.services, 'bench_admin', 'admin');
  const adminClient = createEthcastClient({
    url: server.url,
    getToken: () => adminActor.token,
    batch: false,
  });
  // a cursor 500 forecasts back in the user's history
  const [deep] = await queryRows<{ id: number }>(
    handle.db,
    sql`select id::int as id from predict where user_id = ${someUser.user.id} order by id desc offset 500 limit 1`,
  );
  if (!deep) throw new Error('the list user needs more than 500 forecasts: use --rows ≥ 501,000');
  const deepCursor = Number(deep.id);
  // The cases take turns (one call each per round), after warm-up rounds, so that none is measured
  // in a different state of the JIT, the GC or the host than the others.
  const cases = [
    ['own forecasts, first page', () => listClient.predicts.list.query({ limit: 50 })],
    [
      'own forecasts, cursor 500 rows back',
      () => listClient.predicts.list.query({ limit: 50, cursor: deepCursor }),
    ],
    ['admin, all users', () => adminClient.predicts.list.query({ limit: 50 })],
    [
      'own forecasts, first page, batching client',
      () => batchingListClient.predicts.list.query({ limit: 50 }),
    ],
  ] as const;
  const listTimes = cases.map(() => [] as number[]);
  for (let round = 0; round < 300; round++) {
    for (const [k, [, run]] of cases.entries()) {
      const [, ms] = await timed(run);
      if (round >= 100) listTimes[k]?.push(ms);
    }
  }
  for (const [k, [label]] of cases.entries()) {
    const times = listTimes[k] ?? [];
    console.log(`predicts.list page of 50 (${label}) over HTTP, ${times.length} calls: ${p50p95(times)}`);
  }
  // the plans of the list's own query (the columns it reads included), with the rows it touched
  const listColumns =
    'id, date, user_id, username_predict, symbol, model, model_version, days, data_through, note, forecast, last_point';
  for (const [label, query] of [
    [
      'own',
      `select ${listColumns} from predict where user_id = ${someUser.user.id} order by id desc limit 51`,
    ],
    ['admin', `select ${listColumns} from predict order by id desc limit 51`],
  ] as const) {
    const plan = await queryRows<{ 'QUERY PLAN': string }>(
      handle.db,
      sql.raw(`explain (analyze, buffers, costs off) ${query}`),
    );
    console.log(`plan (${label}): ${plan.map((p) => p['QUERY PLAN'].trim()).join(' | ')}`);
  }
  await server.close();
});
