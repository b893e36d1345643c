/**
 * What the server's benchmarks share: a throw-away PostgreSQL database, the server's production
 * config, worker threads in TypeScript, generated price files and the figures' arithmetic.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import postgres from 'postgres';
import { createDb, type DbHandle } from '../src/db/client.ts';
import { migrateDatabase } from '../src/db/migrate.ts';
import { loadConfig } from '../src/env.ts';
import { generateCandles } from '../src/test/price-csv.ts';

type Defaults = Record<string, string | undefined>;
type Args<D extends Defaults> = { [K in keyof D]: D[K] extends string ? string : string | undefined } & {
  base: string;
};

/**
 * The command line of a benchmark: every option is a string `--name value` with the default given
 * (none where it is undefined), plus `--base`, a PostgreSQL database the bench can create others from.
 */
export function benchArgs<D extends Defaults>(defaults: D): Args<D> {
  const all: Defaults = { base: 'postgres://postgres@127.0.0.1:5432/postgres', ...defaults };
  const options = Object.fromEntries(
    Object.entries(all).map(([name, value]) => [
      name,
      value === undefined ? { type: 'string' as const } : { type: 'string' as const, default: value },
    ]),
  );
  return parseArgs({ options }).values as Args<D>;
}

/** The value at quantile `q` of `xs` (the upper one of a pair: no interpolation). */
export const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? Number.NaN;
};
/** The middle of `xs`, or the mean of the middle two. */
export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] ?? Number.NaN) : ((s[m - 1] ?? Number.NaN) + (s[m] ?? Number.NaN)) / 2;
};
export const fmt = (ms: number) => `${ms.toFixed(2)} ms`;
export const p50p95 = (xs: number[]) => `p50 ${fmt(quantile(xs, 0.5))}, p95 ${fmt(quantile(xs, 0.95))}`;

export const timed = async <T>(f: () => Promise<T>): Promise<[T, number]> => {
  const t0 = performance.now();
  const result = await f();
  return [result, performance.now() - t0];
};

export const machine = () =>
  `machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}; node ${process.version}`;

export type BenchDatabase = { name: string; url: string; admin: postgres.Sql };

/** Creates a database of its own (`ethcast_bench_<label>_<pid>`) for `run`, and drops it after. */
export async function withBenchDatabase<T>(
  label: string,
  base: string,
  run: (database: BenchDatabase) => Promise<T>,
): Promise<T> {
  const name = `ethcast_bench_${label}_${process.pid}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  try {
    return await run({ name, url: url.toString(), admin });
  } finally {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end();
  }
}

/** `withBenchDatabase`, migrated, with a handle of `max` connections open on it for `run`. */
export function withMigratedBenchDb<T>(
  label: string,
  options: { base: string; max: number },
  run: (database: BenchDatabase & { handle: DbHandle }) => Promise<T>,
): Promise<T> {
  return withBenchDatabase(label, options.base, async (database) => {
    const handle = await createDb({ url: database.url, max: options.max });
    try {
      await migrateDatabase(handle, { url: database.url });
      return await run({ ...database, handle });
    } finally {
      await handle.close();
    }
  });
}

/** The server's config in production mode on `databaseUrl`, on a free port, silent; `env` on top. */
export const benchServerConfig = (databaseUrl: string, env: Record<string, string> = {}) =>
  loadConfig({ NODE_ENV: 'production', PORT: '0', LOG_LEVEL: 'silent', DATABASE_URL: databaseUrl, ...env });

/**
 * A worker thread running the TypeScript file `file` (relative to this folder): a small bootstrap
 * registers tsx's loader in the thread, then loads it.
 */
export function startTsWorker(file: string, workerData: unknown): Worker {
  const href = new URL(file, import.meta.url).href;
  return new Worker(
    `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(href)}); })`,
    { eval: true, workerData },
  );
}

/**
 * Streams a generated CSV of `symbols` symbols (`<prefix>000-USD`…) with `totalRows` rows in all to
 * `file`, so that the generator does not sit in the measured process's memory.
 */
export async function writeCandleFile(
  file: string,
  options: { symbols: number; totalRows: number; prefix: string; start: string },
) {
  const out = createWriteStream(file);
  out.write('symbol,date,open,high,low,close,volume\n');
  const perSymbol = Math.ceil(options.totalRows / options.symbols);
  for (let s = 0; s < options.symbols; s++) {
    const symbol = `${options.prefix}${String(s).padStart(3, '0')}-USD`;
    const rows = generateCandles(symbol, options.start, perSymbol, s + 1);
    const text = rows.map((r) => `${symbol},${r.day},${r.open},${r.high},${r.low},${r.close},${r.volume}`);
    if (!out.write(`${text.join('\n')}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}
