/**
 * Third band search of issue #17 (an experiment, not a test and not shipped): online aggregation of band
 * "experts" by their past interval scores, on the validation years before 2019 only (ETH-USD 2017-01-01 →
 * 2018-12-31, BTC-USD 2016-01-01 → 2018-12-31, `naive` centre, h = 1 / 7 / 30, 80 / 95 %).
 *
 *   pnpm --filter @ethcast/forecast exec tsx experiments/band-aggregation.ts [--data <dir>]
 *
 * Experts: the shipped conformal band, five more conformal variants (EWMA weight in the scale 0 / 0.5 / 1 ×
 * score half-life 730 / none) and the two anchors, each walked forward by `backtest` exactly as
 * `pnpm backtest` scores it. At every origin t and for every horizon h and level, each bound is the weighted
 * mean of the experts' bounds (log distance from the last close); the weights are
 * w_k ∝ exp(−η · (M_k / min_j M_j − 1)), M_k the expert's mean relative interval score over the outcomes
 * known at t (origins s with s + h ≤ t; nothing later), discounted with a memory half-life. η = 0 is the
 * equal-weight average, η = ∞ follows the leader. Weights start equal at the validation start.
 *
 * Prints one line per expert set × η × memory: the mean over the 12 cells of the relative interval score
 * divided by the better anchor's (the second search's criterion), cells below both anchors, cells with
 * coverage within ±2 points, max / mean coverage deviation. See docs/forecast-quality.md ("Third search").
 */
import { createReadStream, existsSync } from 'node:fs';
import path from 'node:path';
import { readPriceFile } from '@ethcast/price-file';
import { intervalScore } from '../src/backtest/proper-scores.ts';
import { backtest } from '../src/backtest/run-backtest.ts';
import type { ScoredForecast } from '../src/backtest/walk-forward.ts';
import { createNaiveModel } from '../src/models/naive.ts';
import { requireFile, sharedDataDir } from './data-dir.ts';

const dataDir = sharedDataDir();

const VALIDATION = [
  { symbol: 'ETH-USD', file: 'eth-usd-daily.csv', from: '2017-01-01', to: '2018-12-31' },
  { symbol: 'BTC-USD', file: 'btc-usd-daily.csv', from: '2016-01-01', to: '2018-12-31' },
];
const HORIZONS = [1, 7, 30];
const LEVELS = [
  { level: 80, alpha: 0.2, lower: 'lower80', upper: 'upper80' },
  { level: 95, alpha: 0.05, lower: 'lower95', upper: 'upper95' },
] as const;

const CONFORMAL: Record<string, { ewmaScaleWeight?: number; halfLife?: number | null }> = {
  shipped: {},
  'w0-h730': { ewmaScaleWeight: 0, halfLife: 730 },
  'w0-none': { ewmaScaleWeight: 0, halfLife: null },
  'w0.5-none': { ewmaScaleWeight: 0.5, halfLife: null },
  'w1-h730': { ewmaScaleWeight: 1, halfLife: 730 },
  'w1-none': { ewmaScaleWeight: 1, halfLife: null },
};
const SIX = Object.keys(CONFORMAL);
const EXPERT_SETS: Record<string, string[]> = {
  'six conformal': SIX,
  'shipped + both anchors': ['shipped', 'garch-t', 'ewma-normal'],
  'shipped + garch-t': ['shipped', 'garch-t'],
  'six conformal + both anchors': [...SIX, 'garch-t', 'ewma-normal'],
  'w0-h730 + both anchors': ['w0-h730', 'garch-t', 'ewma-normal'],
};
const ETAS = [0, 10, 30, 100, 300, Number.POSITIVE_INFINITY];
const MEMORIES: (number | null)[] = [365, 730, null];

/** Relative (÷ last close) interval score of one band, as the backtest reports it. */
function relativeScore(lower: number, upper: number, y: number, last: number, alpha: number): number {
  return intervalScore(lower, upper, y, alpha) / last;
}

interface Cell {
  symbol: string;
  h: number;
  level: number;
  /** per expert: forecasts at the common origins, in origin order */
  experts: Map<string, ScoredForecast[]>;
}

async function loadCells(): Promise<Cell[]> {
  const cells: Cell[] = [];
  for (const v of VALIDATION) {
    const file = path.join(dataDir, v.file);
    requireFile(file, existsSync(file));
    const { bars } = await readPriceFile(createReadStream(file), v.symbol);
    const byExpert = new Map<string, Map<number, ScoredForecast[]>>();
    let first = true;
    for (const [name, c] of Object.entries(CONFORMAL)) {
      const report = await backtest({
        bars,
        from: v.from,
        to: v.to,
        horizons: HORIZONS,
        models: [{ name, id: name, version: '-', trainedThrough: null, model: createNaiveModel() }],
        anchors: first ? ['ewma-normal', 'garch-t'] : [],
        ...(c.ewmaScaleWeight !== undefined ? { ewmaScaleWeight: c.ewmaScaleWeight } : {}),
        // the conformal band alone (no anchor blend) at every origin
        calibration: { blend: null, ...(c.halfLife !== undefined ? { halfLife: c.halfLife } : {}) },
      });
      for (const [expert, scored] of report.forecasts) byExpert.set(expert, scored);
      first = false;
    }
    for (const h of HORIZONS) {
      // origins every expert scored (the anchors need a year of history; all have it here)
      const lists = [...byExpert.values()].map((m) => m.get(h) ?? []);
      const common = new Set(lists[0]?.map((f) => f.origin));
      for (const list of lists) {
        const own = new Set(list.map((f) => f.origin));
        for (const o of common) if (!own.has(o)) common.delete(o);
      }
      const experts = new Map<string, ScoredForecast[]>();
      for (const [expert, m] of byExpert) {
        experts.set(
          expert,
          (m.get(h) ?? []).filter((f) => common.has(f.origin)).sort((a, b) => a.origin - b.origin),
        );
      }
      for (const { level } of LEVELS) cells.push({ symbol: v.symbol, h, level, experts });
    }
  }
  return cells;
}

/** Mean relative interval score and coverage of the online aggregate of `names` in one cell. */
function aggregate(cell: Cell, names: string[], eta: number, memory: number | null) {
  const spec = LEVELS.find((l) => l.level === cell.level) as (typeof LEVELS)[number];
  const lists = names.map((n) => cell.experts.get(n) as ScoredForecast[]);
  const base = lists[0] as ScoredForecast[];
  const n = base.length;
  const r = memory === null ? 1 : 2 ** (-1 / memory);
  const sums = new Float64Array(names.length);
  let weightSum = 0;
  let known = 0;
  let score = 0;
  let covered = 0;
  const w = new Float64Array(names.length);
  for (let i = 0; i < n; i++) {
    const f = base[i] as ScoredForecast;
    while (known < n && (base[known] as ScoredForecast).origin + cell.h <= f.origin) {
      const g = base[known] as ScoredForecast;
      lists.forEach((list, k) => {
        const e = list[known] as ScoredForecast;
        sums[k] =
          (sums[k] as number) * r +
          relativeScore(e[spec.lower], e[spec.upper], g.actual, g.lastClose, spec.alpha);
      });
      weightSum = weightSum * r + 1;
      known++;
    }
    if (weightSum === 0 || eta === 0) w.fill(1 / names.length);
    else {
      const best = Math.min(...sums);
      if (!Number.isFinite(eta))
        sums.forEach((s, k) => {
          w[k] = s === best ? 1 : 0;
        });
      else
        sums.forEach((s, k) => {
          w[k] = Math.exp(-eta * (s / best - 1));
        });
      const total = w.reduce((a, b) => a + b, 0);
      w.forEach((x, k) => {
        w[k] = x / total;
      });
    }
    let lower = 0;
    let upper = 0;
    lists.forEach((list, k) => {
      const e = list[i] as ScoredForecast;
      lower += (w[k] as number) * Math.log(e[spec.lower] / e.lastClose);
      upper += (w[k] as number) * Math.log(e[spec.upper] / e.lastClose);
    });
    const lo = f.lastClose * Math.exp(lower);
    const up = f.lastClose * Math.exp(upper);
    score += relativeScore(lo, up, f.actual, f.lastClose, spec.alpha);
    if (f.actual >= lo && f.actual <= up) covered++;
  }
  return { score: score / n, coverage: (100 * covered) / n };
}

function meanScore(cell: Cell, name: string) {
  return aggregate(cell, [name], 0, null).score;
}

const cells = await loadCells();
for (const [set, names] of Object.entries(EXPERT_SETS)) {
  for (const eta of ETAS) {
    for (const memory of eta === 0 ? [null] : MEMORIES) {
      let ratio = 0;
      let below = 0;
      let within = 0;
      let maxDev = 0;
      let sumDev = 0;
      for (const cell of cells) {
        const { score, coverage } = aggregate(cell, names, eta, memory);
        const better = Math.min(meanScore(cell, 'garch-t'), meanScore(cell, 'ewma-normal'));
        ratio += score / better;
        if (score < better) below++;
        const dev = Math.abs(coverage - cell.level);
        if (dev <= 2) within++;
        maxDev = Math.max(maxDev, dev);
        sumDev += dev;
      }
      const etaText = Number.isFinite(eta) ? String(eta) : '∞';
      process.stdout.write(
        `| ${set} | ${etaText} | ${eta === 0 ? '–' : (memory ?? 'none')} | ${(ratio / cells.length).toFixed(4)} | ${below} | ${within} | ${maxDev.toFixed(1)} / ${(sumDev / cells.length).toFixed(2)} |\n`,
      );
    }
  }
}
