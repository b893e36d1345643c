/**
 * Price import throughput into PostgreSQL: the real ETH file (if ../shared/data is present) and a
 * generated 1,000,000-row multi-symbol file. Not a test: prints figures for docs/benchmarks.md.
 *
 *   pnpm tsx packages/server/bench/prices-import.bench.ts [--runs 5] [--base postgres://postgres@127.0.0.1:5432]
 */
import { once } from 'node:events';
import { createWriteStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { createDb } from '../src/db/client.ts';
import { migrateDatabase } from '../src/db/migrate.ts';
import { findRepoRoot } from '../src/paths.ts';
import { importPrices } from '../src/prices/import.ts';
import { generateCandles } from '../src/test/price-csv.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    base: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
    rows: { type: 'string', default: '1000000' },
  },
});
const runs = Number(values.runs);
const totalRows = Number(values.rows);

const SYMBOLS = 100;
const dir = mkdtempSync(join(tmpdir(), 'ethcast-bench-'));

/** Streams the generated file to disk so that the generator does not inflate the importer's RSS. */
async function writeMultiSymbolFile(file: string) {
  const out = createWriteStream(file);
  out.write('symbol,date,open,high,low,close,volume\n');
  const perSymbol = Math.ceil(totalRows / SYMBOLS);
  for (let s = 0; s < SYMBOLS; s++) {
    const symbol = `C${String(s).padStart(3, '0')}-USD`;
    const rows = generateCandles(symbol, '1990-01-01', perSymbol, s + 1);
    const text = rows.map((r) => `${symbol},${r.day},${r.open},${r.high},${r.low},${r.close},${r.volume}`);
    if (!out.write(`${text.join('\n')}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

const name = `ethcast_bench_${process.pid}`;
const admin = postgres(values.base, { max: 1, onnotice: () => {} });
await admin.unsafe(`create database "${name}"`);
const url = new URL(values.base);
url.pathname = `/${name}`;
const handle = await createDb({ url: url.toString(), max: 2 });
try {
  await migrateDatabase(handle, { url: url.toString() });
  const multi = join(dir, 'multi-symbol.csv');
  await writeMultiSymbolFile(multi);
  const ethFile = join(findRepoRoot(), '..', 'shared', 'data', 'eth-usd-daily.csv');
  console.log(
    `Price import into PostgreSQL · ${cpus().length} cores · ${cpus()[0]?.model ?? '?'} · ${new Date().toISOString().slice(0, 10)} · median of ${runs} runs`,
  );

  const cases: { label: string; file: string; symbol?: string }[] = [];
  if (existsSync(ethFile)) cases.push({ label: 'ETH file', file: ethFile, symbol: 'ETH-USD' });
  else console.log(`(ETH file not found at ${ethFile}: skipped)`);
  cases.push({ label: `generated ${totalRows.toLocaleString('en')} rows × ${SYMBOLS} symbols`, file: multi });

  for (const c of cases) {
    const fresh: number[] = [];
    const again: number[] = [];
    let peakRss = 0;
    let rows = 0;
    for (let run = 0; run < runs; run++) {
      await handle.db.execute(sql`truncate prices`);
      for (const target of [fresh, again]) {
        const started = process.hrtime.bigint();
        const report = await importPrices(handle.db, c.file, {
          ...(c.symbol ? { symbol: c.symbol } : {}),
          onProgress: () => {
            peakRss = Math.max(peakRss, process.memoryUsage.rss());
          },
        });
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        rows = report.rowsRead;
        target.push(report.rowsRead / seconds);
      }
    }
    console.log(
      `${c.label} (${mb(statSync(c.file).size)}): into an empty table ${Math.round(median(fresh)).toLocaleString('en')} rows/s; ` +
        `re-import (all unchanged) ${Math.round(median(again)).toLocaleString('en')} rows/s; ` +
        `${rows.toLocaleString('en')} rows; peak RSS during import ${mb(peakRss)}`,
    );
  }
} finally {
  await handle.close();
  await admin.unsafe(`drop database if exists "${name}" with (force)`);
  await admin.end();
  rmSync(dir, { recursive: true, force: true });
}
