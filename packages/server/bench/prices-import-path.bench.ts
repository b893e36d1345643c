/**
 * On PostgreSQL, which path of `pnpm ethcast prices:import` is faster for a bulk file: streamed through
 * the running server (`/api/prices/import`) or the CLI opening the database itself? Both run the real
 * CLI as a child process against one server process; `prices` is emptied before every run, runs
 * alternate between the paths. Not a test: prints figures for docs/benchmarks.md.
 *
 *   pnpm tsx packages/server/bench/prices-import-path.bench.ts [--runs 3] [--rows 300000]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { findRepoRoot } from '../src/paths.ts';
import { spawnServerProcess } from '../src/test/server-process.ts';
import { benchArgs, quantile, withBenchDatabase, writeCandleFile } from './harness.ts';

const values = benchArgs({ runs: '3', rows: '300000' });
const runs = Number(values.runs);
const totalRows = Number(values.rows);
const SYMBOLS = 30;
const root = findRepoRoot();
const dir = mkdtempSync(join(tmpdir(), 'ethcast-bench-path-'));

await withBenchDatabase('path', values.base, async ({ url: databaseUrl }) => {
  const db = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  const file = join(dir, 'prices.csv');
  await writeCandleFile(file, { symbols: SYMBOLS, totalRows, prefix: 'P', start: '1980-01-01' });

  const server = spawnServerProcess({
    DATABASE_URL: databaseUrl,
    ADMIN_TOKEN_FILE: join(dir, 'admin-token'),
  });
  const serverUrl = await server.ready;
  const post = (path: string, json: unknown, token?: string) =>
    fetch(`${serverUrl}/trpc/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ json }),
    }).then((r) => r.json() as Promise<{ result: { data: { json: { token: string } } } }>);
  await post('users.register', { username: 'bench_admin', password: 'bench-password' });
  await db`update users set role = 'admin' where username = 'bench_admin'`;
  const login = await post('users.login', { username: 'bench_admin', password: 'bench-password' });
  const configFile = join(dir, 'config.json');
  writeFileSync(configFile, JSON.stringify({ token: login.result.data.json.token }), { mode: 0o600 });

  function cli(ethcastUrl: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const started = performance.now();
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', 'src/cli.ts', 'prices:import', file, '--json'],
        {
          cwd: join(root, 'apps/scripts'),
          env: {
            PATH: process.env.PATH ?? '',
            DATABASE_URL: databaseUrl,
            ETHCAST_URL: ethcastUrl,
            ETHCAST_CONFIG: configFile,
            NODE_ENV: 'production',
          },
          stdio: ['ignore', 'ignore', 'inherit'],
        },
      );
      child.on('exit', (code) =>
        code === 0 ? resolve(performance.now() - started) : reject(new Error(`cli exited ${code}`)),
      );
    });
  }

  const paths = { 'through the server': serverUrl, 'direct (CLI opens PostgreSQL)': 'http://127.0.0.1:1' };
  const times: Record<string, number[]> = { 'through the server': [], 'direct (CLI opens PostgreSQL)': [] };
  try {
    for (let run = 0; run < runs; run++) {
      for (const [name, ethcastUrl] of Object.entries(paths)) {
        await db`truncate prices`;
        times[name]?.push(await cli(ethcastUrl));
      }
    }
  } finally {
    await server.stop();
    await db.end();
  }
  const median = (xs: number[]) => quantile(xs, 0.5);
  const direct = median(times['direct (CLI opens PostgreSQL)'] ?? []);
  for (const [name, xs] of Object.entries(times)) {
    const m = median(xs);
    console.log(
      `${name}: median ${(m / 1000).toFixed(2)} s for ${totalRows.toLocaleString('en')} rows (${Math.round(totalRows / (m / 1000)).toLocaleString('en')} rows/s), runs ${xs.map((x) => (x / 1000).toFixed(2)).join(' / ')} s, ratio to direct ${(m / direct).toFixed(2)}`,
    );
  }
});
rmSync(dir, { recursive: true, force: true });
