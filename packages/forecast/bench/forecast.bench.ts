/**
 * Forecast benchmarks (not a test): warm 30-day forecast latency per model, GARCH(1,1)-t fit time and warm
 * 30-day latency of the two anchor band models, full walk-forward backtest time per model (365 origins ×
 * horizons 1, 7, 30), and neural training time per epoch.
 *
 *   pnpm --filter @ethcast/forecast exec tsx bench/forecast.bench.ts [--csv <file>] [--symbol ETH-USD]
 *       [--models-dir <dir>] [--runs 3] [--skip-backtest] [--skip-training]
 */
import { execSync } from 'node:child_process';
import { createReadStream, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readPriceFile } from '@ethcast/price-file';
import { backtest } from '../src/backtest/run-backtest.ts';
import { validateHistory } from '../src/data/validate-history.ts';
import { createEwmaNormalBands, createGarchTBands } from '../src/intervals/anchor-bands.ts';
import { fitGarchT } from '../src/intervals/garch.ts';
import { logReturns } from '../src/neural/features.ts';
import { DEFAULT_RNN_HYPERPARAMETERS, trainRnn } from '../src/neural/train-rnn.ts';
import { findModelsDir } from '../src/registry/find-models-dir.ts';
import { createRegistry, loadModels } from '../src/registry/load-registry.ts';
import { log, machine } from './machine.ts';

const { values } = parseArgs({
  options: {
    csv: { type: 'string' },
    symbol: { type: 'string', default: 'ETH-USD' },
    'models-dir': { type: 'string' },
    runs: { type: 'string', default: '3' },
    'skip-backtest': { type: 'boolean', default: false },
    'skip-training': { type: 'boolean', default: false },
  },
});
const base = process.env.INIT_CWD ?? process.cwd();
const modelsDir = values['models-dir'] ? path.resolve(base, values['models-dir']) : findModelsDir();
const symbol = values.symbol ?? 'ETH-USD';
const csv = values.csv
  ? path.resolve(base, values.csv)
  : path.resolve(modelsDir, '..', '..', 'shared', 'data', `${symbol.toLowerCase()}-daily.csv`);
if (!existsSync(csv)) {
  process.stderr.write(`error: price CSV ${csv} not found; pass --csv <file>\n`);
  process.exit(1);
}
const runs = Math.max(1, Number(values.runs));

function quantile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number;
}
const median = (xs: number[]) =>
  quantile(
    [...xs].sort((a, b) => a - b),
    0.5,
  );

/** The CPUs this process may use: `nproc`, else os.availableParallelism(). */
function nproc(): string {
  try {
    return execSync('nproc', { encoding: 'utf8' }).trim();
  } catch {
    return String(os.availableParallelism());
  }
}

const { bars } = await readPriceFile(createReadStream(csv), symbol);
const loaded = await loadModels(modelsDir, { symbol });
const registry = createRegistry(loaded);
const history = bars.slice(-400);

log(`# Forecast benchmark — ${new Date().toISOString().slice(0, 10)}`);
log(`machine: ${machine(nproc())}`);
log(`data: ${path.basename(csv)} (${bars.length} days), models: ${modelsDir}, runs: ${runs}`);
log('');
log('## 30-day forecast latency (registry.forecast, warm process, 400-day history)');
log('uncached: every call has a different last close, so the model really runs (forward pass etc.);');
log('cached: the same history again (the server pattern: history changes once a day).');
log('model     uncached median ms   p95 ms   cached median ms   p95 ms');
const calls = 300;
const lastBar = history[history.length - 1] as (typeof history)[number];
// distinct histories so every uncached call misses the forecast cache
const variants = Array.from({ length: calls * runs * loaded.length }, (_, i) => [
  ...history.slice(0, -1),
  { ...lastBar, close: lastBar.close * (1 + (i + 1) * 1e-9) },
]);
let variantIndex = 0;
async function timeCalls(name: string, pick: () => typeof history): Promise<{ median: number; p95: number }> {
  const medians: number[] = [];
  const p95s: number[] = [];
  for (let r = 0; r < runs; r++) {
    const times: number[] = [];
    for (let i = 0; i < calls; i++) {
      const args = { symbol, model: name, history: pick(), horizon: 30 };
      const t = performance.now();
      await registry.forecast(args);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    medians.push(quantile(times, 0.5));
    p95s.push(quantile(times, 0.95));
  }
  return { median: median(medians), p95: median(p95s) };
}
for (const m of loaded) {
  const name = m.info.name;
  for (let i = 0; i < 50; i++) await registry.forecast({ symbol, model: name, history, horizon: 30 });
  const uncached = await timeCalls(name, () => variants[variantIndex++ % variants.length] as typeof history);
  const cached = await timeCalls(name, () => history);
  const cell = (v: number, width: number) => v.toFixed(3).padStart(width);
  log(
    `${name.padEnd(9)} ${cell(uncached.median, 18)} ${cell(uncached.p95, 8)} ${cell(cached.median, 18)} ${cell(cached.p95, 8)}`,
  );
}
{
  log('');
  log('## GARCH(1,1)-t (anchor garch-t and the shipped garch-t interval scale)');
  const closes = validateHistory(bars.filter((b) => b.day <= '2025-03-31'));
  const returns = logReturns(closes);
  const fitTimes: number[] = [];
  for (let r = 0; r < runs; r++) {
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      fitGarchT(returns);
      fitTimes.push(performance.now() - t);
    }
  }
  log(
    `fit on ${returns.length} returns (through 2025-03-31): median ${median(fitTimes).toFixed(1)} ms over ${fitTimes.length} fits`,
  );
  log(
    'anchor     30-day bands, warm, no refit: median ms   p95 ms   (400-day history, a different one per call)',
  );
  const full = validateHistory(bars);
  for (const anchor of [createEwmaNormalBands(), createGarchTBands(Number.POSITIVE_INFINITY)]) {
    // the first call fits (garch-t); the timed calls only filter and build the term structure
    anchor.bands(full.subarray(full.length - 400), 30);
    const medians: number[] = [];
    const p95s: number[] = [];
    for (let r = 0; r < runs; r++) {
      const times: number[] = [];
      for (let i = 0; i < calls; i++) {
        const end = full.length - 1 - (i % 200);
        const h = full.subarray(end - 399, end + 1);
        const t = performance.now();
        anchor.bands(h, 30);
        times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      medians.push(quantile(times, 0.5));
      p95s.push(quantile(times, 0.95));
    }
    log(
      `${anchor.name.padEnd(10)} ${median(medians).toFixed(3).padStart(38)} ${median(p95s).toFixed(3).padStart(8)}`,
    );
  }
}

if (!values['skip-backtest']) {
  log('');
  log(
    '## Walk-forward backtest time per model (2025-04-01 → 2026-03-31, horizons 1,7,30, incl. calibration warm-up)',
  );
  log('model     median s');
  for (const m of loaded) {
    const times: number[] = [];
    for (let r = 0; r < runs; r++) {
      const t = performance.now();
      await backtest({
        bars,
        from: '2025-04-01',
        to: '2026-03-31',
        horizons: [1, 7, 30],
        models: [
          { name: m.info.name, id: m.info.id, version: m.info.version, trainedThrough: null, model: m.model },
        ],
      });
      times.push((performance.now() - t) / 1000);
    }
    log(`${m.info.name.padEnd(9)} ${median(times).toFixed(2).padStart(8)}`);
  }
}

if (!values['skip-training']) {
  log('');
  log('## Training time per epoch (2×50 units, window 60, batch 128, data through 2025-03-31)');
  const closes = validateHistory(bars.filter((b) => b.day <= '2025-03-31'));
  for (const cell of ['lstm', 'gru'] as const) {
    const trained = await trainRnn(closes, {
      ...DEFAULT_RNN_HYPERPARAMETERS,
      cell,
      maxEpochs: 3,
      patience: 99,
    });
    const secs = trained.epochs.map((e) => e.seconds);
    log(
      `${cell.padEnd(9)} median ${median(secs).toFixed(1)} s/epoch over ${secs.length} epochs (${trained.trainSamples} samples)`,
    );
  }
}
