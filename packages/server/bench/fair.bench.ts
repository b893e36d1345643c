/**
 * Fair under load (issue 13), black-box over HTTP against a real server process on PostgreSQL:
 *  1. a signed-in reader's predicts.byId req/s (wrk, 1 connection) alone, then while 30 users log in
 *     20 at once (bcrypt cost 12): the ratio (target ≥ 50 %) and any 5xx;
 *  2. logins/s during that storm against the bcrypt limit of this machine, measured in the same run
 *     (one bcrypt verify per core at once, cost 12) (target ≥ 80 %);
 *  3. predicts.byId at 50 connections (wrk) against the seed-design stand-in (../shared/peer, FastAPI,
 *     a connection per request) started here on the same machine (target ≥ 10×).
 * Rounds alternate the cases; medians are printed. Not a test: figures for docs/benchmarks.md.
 *
 * With `--nice 0,10,19` the server is started once per BCRYPT_NICE value (the bcrypt threads' CPU
 * priority) and every case runs for each: the trade-off between the reader and the logins.
 *
 *   pnpm bench fair [-- --runs 3 --duration 10 --nice 10 --peer-port 18765 --base postgres://…/postgres]
 * Needs PostgreSQL, wrk, and for 3. python3 with fastapi, uvicorn, psycopg2 and bcrypt (Debian packages).
 */
import { type ChildProcess, execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { hash, verify } from '@node-rs/bcrypt';
import postgres from 'postgres';
import superjson from 'superjson';
import { insertPredictionWithLog } from '../src/db/queries/predicts.ts';
import { createSession } from '../src/db/queries/sessions.ts';
import { insertUser } from '../src/db/queries/users.ts';
import { findRepoRoot } from '../src/paths.ts';
import { seedPrices } from '../src/test/index.ts';
import { benchArgs, median, withMigratedBenchDb } from './harness.ts';
import {
  cpuSeconds,
  lscpuModel,
  wrk as runWrk,
  sleep,
  startProcess,
  stop,
  type WrkResult,
} from './processes.ts';

const values = benchArgs({
  runs: '3',
  duration: '10',
  users: '30',
  concurrency: '20',
  'peer-port': '18765',
  'peer-dir': undefined,
  nice: undefined,
});
const runs = Number(values.runs);
// undefined = the server's default
const niceValues: (string | undefined)[] = values.nice
  ? values.nice.split(',').map((n) => n.trim())
  : [undefined];
const seconds = Number(values.duration);
const COST = 12;
const PASSWORD = 'fair-bench-password';
const root = findRepoRoot();
const serverDir = join(root, 'packages', 'server');
const peerDir = values['peer-dir'] ?? join(root, '..', 'shared', 'peer');
const wrk = (url: string, connections: number, headers: Record<string, string> = {}) =>
  runWrk(url, { connections, seconds, headers });

/** verifies/s at cost 12 with one verify per core at once: what bcrypt allows on this machine. */
async function bcryptLimit(): Promise<number> {
  const h = await hash(PASSWORD, COST);
  let done = 0;
  const until = performance.now() + seconds * 1000;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: availableParallelism() }, async () => {
      while (performance.now() < until) {
        await verify(PASSWORD, h);
        done++;
      }
    }),
  );
  return done / ((performance.now() - t0) / 1000);
}

/** `concurrency` clients logging in as `users` users in turn for the duration; statuses counted. */
async function loginStorm(url: string, usernames: string[], concurrency: number) {
  const statuses = new Map<number, number>();
  let next = 0;
  const until = performance.now() + seconds * 1000;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        const username = usernames[next++ % usernames.length];
        let status = 0;
        try {
          const response = await fetch(`${url}/trpc/users.login`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(superjson.serialize({ username, password: PASSWORD })),
          });
          await response.arrayBuffer();
          status = response.status;
        } catch {
          status = 0;
        }
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  return { loginsPerSecond: (statuses.get(200) ?? 0) / elapsed, statuses };
}

const peerName = `ethcast_bench_peer_${process.pid}`;
let server: ChildProcess | undefined;
let peer: ChildProcess | undefined;
await withMigratedBenchDb('fair', { base: values.base, max: 4 }, async ({ name, url, admin, handle }) => {
  try {
    console.log(
      `machine: ${cpus().length} × ${lscpuModel() ?? cpus()[0]?.model ?? '?'}; node ${process.version}; ${new Date().toISOString()}; load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    const db = handle.db;
    const passwordHash = await hash(PASSWORD, COST);
    const usernames = Array.from({ length: Number(values.users) }, (_, i) => `storm_${i}`);
    for (const username of usernames) await insertUser(db, { username, passwordHash, role: 'user' });
    const reader = await insertUser(db, { username: 'reader', passwordHash, role: 'user' });
    const { token } = await createSession(db, reader.id);
    await seedPrices(db, 'ETH-USD', '2024-01-01', 1000, 42);
    // a 7-day forecast whose days have stored closes, so byId reads prices and scores it as in use
    const points = Array.from({ length: 7 }, (_, i) => ({
      day: `2026-01-1${i}`,
      value: 2000 + i,
      lower80: 1900,
      upper80: 2100,
      lower95: 1800,
      upper95: 2200,
    }));
    const forecast = await insertPredictionWithLog(
      db,
      {
        userId: reader.id,
        username: 'reader',
        symbol: 'ETH-USD',
        model: 'naive',
        modelVersion: 'bench',
        days: 7,
        dataThrough: '2026-01-09',
        note: null,
        summary: 'bench',
        points,
      },
      { action: 'predict success with model naive' },
    );

    // the production bundle, as `pnpm start` runs it
    execFileSync(process.execPath, ['build.mjs'], { cwd: serverDir, stdio: 'ignore' });
    const startServer = async (nice: string | undefined) => {
      const started = await startProcess(process.execPath, ['dist/main.js'], {
        cwd: serverDir,
        env: {
          NODE_ENV: 'production',
          DATABASE_URL: url,
          PORT: '0',
          LOG_LEVEL: 'silent',
          BCRYPT_COST: String(COST),
          PRICES_SYNC_URL: 'off',
          ...(nice === undefined ? {} : { BCRYPT_NICE: nice }),
        },
        ready: /listening on (http:\/\/\S+)/,
      });
      server = started.child;
      const api = started.match[1] ?? '';
      const byIdUrl = `${api}/trpc/predicts.byId?input=${encodeURIComponent(JSON.stringify({ json: { id: forecast.id } }))}`;
      const check = await fetch(byIdUrl, { headers: auth });
      if (check.status !== 200)
        throw new Error(`predicts.byId answered ${check.status}: ${await check.text()}`);
      return { api, byIdUrl };
    };
    const auth = { authorization: `Bearer ${token}` };

    // stand-in: its own database, as ../shared/peer/measure.sh builds it
    const hasPeer = existsSync(join(peerDir, 'legacy_app.py'));
    let peerUrl: string | null = null;
    if (hasPeer) {
      await admin.unsafe(`create database "${peerName}"`);
      const peerDbUrl = new URL(values.base);
      peerDbUrl.pathname = `/${peerName}`;
      const peerDb = postgres(peerDbUrl.toString(), { max: 1, onnotice: () => {} });
      await peerDb.unsafe(readFileSync(join(peerDir, 'schema.sql'), 'utf8'));
      const aliceHash = execFileSync(
        '/usr/bin/python3',
        ['-c', `import bcrypt;print(bcrypt.hashpw(b"S3cure-passw0rd", bcrypt.gensalt(${COST})).decode())`],
        { encoding: 'utf8' },
      ).trim();
      await peerDb`insert into users (username, password) values ('alice', ${aliceHash})`;
      await peerDb.unsafe(`insert into predict (username_predict, date, user_id, forecast, forecast_result, model)
      select 'alice', '28/11/2026_10h00', 1, true,
        (select jsonb_agg(jsonb_build_object('date', d, 'predicted_value', 2000 + d)) from generate_series(1, 7) d), 'lstm'
      from generate_series(1, 1000)`);
      await peerDb.end();
      const port = values['peer-port'];
      const u = new URL(values.base);
      const dsn = `dbname=${peerName} user=${decodeURIComponent(u.username) || 'postgres'} host=${u.hostname} port=${u.port || 5432}`;
      peer = (
        await startProcess(
          '/usr/bin/python3',
          ['-m', 'uvicorn', 'legacy_app:app', '--host', '127.0.0.1', '--port', port, '--log-level', 'info'],
          { cwd: peerDir, env: { PEER_DSN: dsn }, ready: /Uvicorn running|Application startup complete/ },
        )
      ).child;
      peerUrl = `http://127.0.0.1:${port}`;
      const ok = await fetch(`${peerUrl}/predicts/get/1`);
      if (ok.status !== 200) throw new Error(`stand-in answered ${ok.status}`);
    } else {
      console.log(`stand-in not found in ${peerDir}: the ≥ 10× comparison is skipped`);
    }

    for (const nice of niceValues) {
      const { api, byIdUrl } = await startServer(nice);
      console.log(`\n--- BCRYPT_NICE=${nice ?? 'default'}`);
      // warm-up: JIT, prepared statements, connections
      await wrk(byIdUrl, 10, auth);

      const alone: number[] = [];
      const during: number[] = [];
      const logins: number[] = [];
      const limits: number[] = [];
      const ours50: number[] = [];
      const readerCores: number[] = [];
      const peer50: number[] = [];
      let readerNon2xx = 0;
      const loginStatuses = new Map<number, number>();
      for (let round = 1; round <= runs; round++) {
        limits.push(await bcryptLimit());
        // the CPU the reader alone costs: the server process and its PostgreSQL backends
        const backends = (
          await admin<{ pid: number }[]>`select pid from pg_stat_activity where datname = ${name}`
        ).map((r) => r.pid);
        const serving = [server?.pid ?? 0, ...backends];
        const cpu0 = cpuSeconds(serving);
        const a = await wrk(byIdUrl, 1, auth);
        readerCores.push((cpuSeconds(serving) - cpu0) / seconds);
        alone.push(a.rps);
        const [d, storm] = await Promise.all([
          wrk(byIdUrl, 1, auth),
          loginStorm(api, usernames, Number(values.concurrency)),
        ]);
        during.push(d.rps);
        readerNon2xx += a.non2xx + d.non2xx + a.errors + d.errors;
        logins.push(storm.loginsPerSecond);
        for (const [s, n] of storm.statuses) loginStatuses.set(s, (loginStatuses.get(s) ?? 0) + n);
        await sleep(500);
        const o = await wrk(byIdUrl, 50, auth);
        ours50.push(o.rps);
        let p: WrkResult | null = null;
        if (peerUrl) {
          p = await wrk(`${peerUrl}/predicts/get/1`, 50);
          peer50.push(p.rps);
        }
        console.log(
          `round ${round}: bcrypt limit ${limits.at(-1)?.toFixed(1)}/s; reader alone ${a.rps.toFixed(0)} req/s (p50 ${a.p50ms.toFixed(2)} ms), during the storm ${d.rps.toFixed(0)} req/s (p50 ${d.p50ms.toFixed(2)} ms); logins ${storm.loginsPerSecond.toFixed(1)}/s; byId c=50 ${o.rps.toFixed(0)} req/s (p50 ${o.p50ms.toFixed(1)} ms, non-2xx ${o.non2xx})${p ? `, stand-in ${p.rps.toFixed(0)} req/s (p50 ${p.p50ms.toFixed(1)} ms, non-2xx ${p.non2xx})` : ''}; load ${loadavg()[0]?.toFixed(2)}`,
        );
      }
      const pct = (x: number) => `${(100 * x).toFixed(0)} %`;
      const statusList = [...loginStatuses].map(([s, n]) => `${s}: ${n}`).join(', ');
      console.log(`\nmedians of ${runs} rounds, ${seconds} s each:`);
      console.log(
        `CPU of the reader alone (server process + its PostgreSQL backends, not wrk): ${median(readerCores).toFixed(2)} cores of ${availableParallelism()}`,
      );
      console.log(
        `reader (1 connection): alone ${median(alone).toFixed(0)} req/s, during the storm ${median(during).toFixed(0)} req/s = ${pct(median(during) / median(alone))} of alone (target ≥ 50 %); reader non-2xx or socket errors: ${readerNon2xx}`,
      );
      console.log(
        `logins: ${median(logins).toFixed(1)}/s against a bcrypt limit of ${median(limits).toFixed(1)}/s = ${pct(median(logins) / median(limits))} (target ≥ 80 %); login statuses: ${statusList}`,
      );
      if (peer50.length) {
        console.log(
          `predicts.byId at 50 connections: ${median(ours50).toFixed(0)} req/s; stand-in GET /predicts/get/1: ${median(peer50).toFixed(0)} req/s; ratio ${(median(ours50) / median(peer50)).toFixed(1)}× (target ≥ 10×)`,
        );
      }
      console.log(
        `load average at the end: ${loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')}`,
      );

      stop(server);
      await sleep(1000);
    }
  } finally {
    stop(server);
    stop(peer);
    await sleep(500);
    await admin.unsafe(`drop database if exists "${peerName}" with (force)`);
  }
});
