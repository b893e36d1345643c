/**
 * Price import throughput into PostgreSQL: the real ETH file (if ../shared/data is present) and a
 * generated 1,000,000-row multi-symbol file. Not a test: prints figures for docs/benchmarks.md.
 *
 *   pnpm tsx packages/server/bench/prices-import.bench.ts [--runs 5] [--base postgres://postgres@127.0.0.1:5432]
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { findRepoRoot } from '../src/paths.ts';
import { importPrices } from '../src/prices/import.ts';
import { benchArgs, median, withMigratedBenchDb, writeCandleFile } from './harness.ts';

const values = benchArgs({ runs: '5', rows: '1000000' });
const runs = Number(values.runs);
const totalRows = Number(values.rows);

const SYMBOLS = 100;
const dir = mkdtempSync(join(tmpdir(), 'ethcast-bench-'));

/**
 * CPU seconds used so far by the local PostgreSQL server (every `postgres` process this user can see,
 * plus the children they reaped), or null when the server is not on this host.
 */
function postgresCpuSeconds(): number | null {
  const ticksPerSecond = 100; // USER_HZ on Linux
  let ticks = 0;
  let found = false;
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return null;
  }
  for (const pid of pids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue;
    }
    const close = stat.lastIndexOf(')');
    if (stat.slice(stat.indexOf('(') + 1, close) !== 'postgres') continue;
    // fields after the command: state(3) ... utime(14) stime(15) cutime(16) cstime(17)
    const fields = stat.slice(close + 2).split(' ');
    ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    found = true;
  }
  return found ? ticks / ticksPerSecond : null;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

try {
  await withMigratedBenchDb('prices', { base: values.base, max: 2 }, async ({ handle }) => {
    const multi = join(dir, 'multi-symbol.csv');
    await writeCandleFile(multi, { symbols: SYMBOLS, totalRows, prefix: 'C', start: '1990-01-01' });
    const ethFile = join(findRepoRoot(), '..', 'shared', 'data', 'eth-usd-daily.csv');
    console.log(
      `Price import into PostgreSQL · ${cpus().length} cores · ${cpus()[0]?.model ?? '?'} · ${new Date().toISOString().slice(0, 10)} · median of ${runs} runs`,
    );

    const cases: { label: string; file: string; symbol?: string }[] = [];
    if (existsSync(ethFile)) cases.push({ label: 'ETH file', file: ethFile, symbol: 'ETH-USD' });
    else console.log(`(ETH file not found at ${ethFile}: skipped)`);
    cases.push({
      label: `generated ${totalRows.toLocaleString('en')} rows × ${SYMBOLS} symbols`,
      file: multi,
    });

    for (const c of cases) {
      const fresh: number[] = [];
      const again: number[] = [];
      const cpu = {
        fresh: { node: [] as number[], pg: [] as number[] },
        again: { node: [] as number[], pg: [] as number[] },
      };
      let peakRss = 0;
      let rows = 0;
      for (let run = 0; run < runs; run++) {
        await handle.db.execute(sql`truncate prices`);
        for (const [target, kind] of [
          [fresh, 'fresh'],
          [again, 'again'],
        ] as const) {
          const started = process.hrtime.bigint();
          const nodeBefore = process.cpuUsage();
          const pgBefore = postgresCpuSeconds();
          const report = await importPrices(handle.db, c.file, {
            ...(c.symbol ? { symbol: c.symbol } : {}),
            onProgress: () => {
              peakRss = Math.max(peakRss, process.memoryUsage.rss());
            },
          });
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          const nodeUsed = process.cpuUsage(nodeBefore);
          const pgAfter = postgresCpuSeconds();
          rows = report.rowsRead;
          target.push(report.rowsRead / seconds);
          cpu[kind].node.push((nodeUsed.user + nodeUsed.system) / 1e6);
          if (pgBefore !== null && pgAfter !== null) cpu[kind].pg.push(pgAfter - pgBefore);
          console.log(
            `  run ${run + 1} ${kind === 'fresh' ? 'empty table' : 're-import  '}: ${seconds.toFixed(2)} s, ${Math.round(report.rowsRead / seconds).toLocaleString('en')} rows/s, ` +
              `Node CPU ${((nodeUsed.user + nodeUsed.system) / 1e6).toFixed(1)} s, PostgreSQL CPU ${pgBefore !== null && pgAfter !== null ? `${(pgAfter - pgBefore).toFixed(1)} s` : '?'}`,
          );
        }
      }
      const cpuNote = (kind: 'fresh' | 'again') =>
        `Node CPU ${median(cpu[kind].node).toFixed(1)} s, PostgreSQL CPU ${cpu[kind].pg.length ? `${median(cpu[kind].pg).toFixed(1)} s` : '?'}`;
      console.log(
        `${c.label} (${mb(statSync(c.file).size)}): into an empty table ${Math.round(median(fresh)).toLocaleString('en')} rows/s; ` +
          `re-import (all unchanged) ${Math.round(median(again)).toLocaleString('en')} rows/s; ` +
          `${rows.toLocaleString('en')} rows; peak RSS during import ${mb(peakRss)}\n` +
          `  median CPU: into an empty table ${cpuNote('fresh')}; re-import ${cpuNote('again')}`,
      );
    }
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
