/**
 * Per-symbol model build benchmark (not a test): wall time of buildSymbolModels (naive, drift and theta
 * calibrated on the whole history, the backtest of the last year with both anchors, the default) on the
 * last 2, 5 and 10 years of a symbol's closes, median over --runs, and that time per symbol-year of history;
 * also the process's CPU time, which a loaded machine disturbs less.
 *
 *   pnpm bench build-models [-- --runs 3] [--csv <file>] [--symbol ETH-USD] [--years 2,5,10]
 *
 * Without --csv it reads ../shared/data/<symbol>-daily.csv beside the repo, or, when that is missing, a
 * generated GARCH(1,1)-t series of the same length (the build's cost depends on the length, not the data).
 */
import { createReadStream, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readPriceFile } from '@ethcast/price-file';
import { buildSymbolModels } from '../src/build/build-symbol-models.ts';
import { findModelsDir } from '../src/registry/find-models-dir.ts';
import { garchTBars } from '../src/test-support/generate-series.ts';
import type { DailyBar } from '../src/types.ts';
import { log, machine } from './machine.ts';

const { values } = parseArgs({
  options: {
    csv: { type: 'string' },
    symbol: { type: 'string', default: 'ETH-USD' },
    runs: { type: 'string', default: '3' },
    years: { type: 'string', default: '2,5,10' },
  },
});
function fail(message: string): never {
  process.stderr.write(`error: ${message}\n`);
  process.exit(1);
}
const symbol = values.symbol ?? 'ETH-USD';
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) fail(`--runs must be a positive whole number, got '${values.runs}'`);
const years = (values.years ?? '').split(',').map(Number);
if (years.some((y) => !(y > 0))) fail(`--years must be positive numbers, got '${values.years}'`);

const base = process.env.INIT_CWD ?? process.cwd();
const csv = values.csv
  ? path.resolve(base, values.csv)
  : path.resolve(findModelsDir(), '..', '..', 'shared', 'data', `${symbol.toLowerCase()}-daily.csv`);
let bars: DailyBar[];
let source: string;
if (existsSync(csv)) {
  bars = (await readPriceFile(createReadStream(csv), symbol)).bars;
  source = `${path.basename(csv)} (${bars.length} days, ${bars[0]?.day} → ${bars[bars.length - 1]?.day})`;
} else if (values.csv) {
  fail(`price CSV ${csv} not found`);
} else {
  const days = Math.round(Math.max(...years) * 365);
  bars = garchTBars({ days, params: { omega: 2e-5, alpha: 0.1, beta: 0.85, nu: 5 }, seed: 1 });
  source = `generated GARCH(1,1)-t series (${days} days; ${csv} not found)`;
}

const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

log(`# Per-symbol model build — ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}`);
log(`machine: ${machine()}; load average at start ${load()}`);
log(`data: ${source}; runs: ${runs}`);
log('');
// on a shared machine the process's CPU time (user + system) says more than the wall time
log(
  'years  days  median s  min s  max s  s per symbol-year  median cpu s  cpu s per symbol-year  default  load average after',
);
for (const y of years) {
  const days = Math.min(bars.length, Math.round(y * 365));
  const history = bars.slice(bars.length - days);
  const seconds: number[] = [];
  const cpuSeconds: number[] = [];
  let defaultModel = '';
  for (let r = 0; r < runs; r++) {
    const started = performance.now();
    const cpu = process.cpuUsage();
    const result = await buildSymbolModels(symbol, history);
    seconds.push((performance.now() - started) / 1000);
    const used = process.cpuUsage(cpu);
    cpuSeconds.push((used.user + used.system) / 1e6);
    if (result.status !== 'built') fail(`${days} days are too few: ${result.missingDays} more needed`);
    else defaultModel = result.defaultModel;
  }
  const m = median(seconds);
  log(
    [
      String(y).padStart(5),
      String(days).padStart(5),
      m.toFixed(2).padStart(9),
      Math.min(...seconds)
        .toFixed(2)
        .padStart(6),
      Math.max(...seconds)
        .toFixed(2)
        .padStart(6),
      (m / (days / 365)).toFixed(2).padStart(18),
      median(cpuSeconds).toFixed(2).padStart(10),
      (median(cpuSeconds) / (days / 365)).toFixed(2).padStart(22),
      defaultModel.padStart(8),
      `  ${load()}`,
    ].join(' '),
  );
}
