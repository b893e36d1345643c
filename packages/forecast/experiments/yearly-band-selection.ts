/**
 * Yearly re-selection of the band's anchor blend (issue #17; an experiment that reproduces the figures in
 * docs/forecast-quality.md, "Yearly selection", not a test).
 *
 *   pnpm --filter @ethcast/forecast exec tsx experiments/yearly-band-selection.ts [--data <dir>]
 *
 * The third search chose on one fixed window of validation years (2017–2018 for ETH-USD, 2016–2018 for
 * BTC-USD). Here the choice is remade before every scored year Y = 2019 … 2026. The evidence for year Y is
 * every outcome known by the last day of Y − 1: origins from the validation start with origin + h ≤
 * (Y − 1)-12-31. Year Y is then scored with the band chosen on that evidence, so no origin is scored by a
 * choice that saw its outcome. The band served today is the choice made on every outcome through
 * 2026-03-31.
 *
 * Fixed before any run of this script:
 * - The candidates: the third search's 25 `--blend garch-t:a,ewma-normal:b` weights on the shipped band,
 *   a ∈ {0, 0.125, …, 0.75}, b ∈ {0, 0.125, …, 0.5}, a + b ≤ 0.75 (a = b = 0 is the shipped band alone).
 * - The rule: the second search's rule. Take the mean over the 12 cells (ETH-USD and BTC-USD × h = 1, 7,
 *   30 × 80 / 95 %) of the relative interval score divided by the better anchor's; every candidate within
 *   0.5 % of the best is tied; the tie goes to the lowest mean coverage deviation.
 * - The procedure is adopted whatever its pooled score turns out to be.
 *
 * Prints each year's choice and its evidence, then the pooled 2019-01-01 → 2026-03-31 table of the
 * yearly-selected band against the anchors. The anchors here are run with `--from 2019-01-01`, as in the
 * pooled tables. The last line is the choice on all outcomes known at 2026-03-31.
 */
import { createReadStream, existsSync } from 'node:fs';
import path from 'node:path';
import { readPriceFile } from '@ethcast/price-file';
import { intervalScore } from '../src/backtest/proper-scores.ts';
import { backtest } from '../src/backtest/run-backtest.ts';
import type { ScoredForecast } from '../src/backtest/walk-forward.ts';
import { BLEND_SELECTIONS } from '../src/intervals/blend-selection.ts';
import { createNaiveModel } from '../src/models/naive.ts';
import type { DailyBar } from '../src/types.ts';
import { requireFile, sharedDataDir } from './data-dir.ts';

const dataDir = sharedDataDir();

const SYMBOLS = [
  { symbol: 'ETH-USD', file: 'eth-usd-daily.csv', from: '2017-01-01' },
  { symbol: 'BTC-USD', file: 'btc-usd-daily.csv', from: '2016-01-01' },
];
const TO = '2026-03-31';
const POOLED_FROM = '2019-01-01';
const YEARS = [2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026];
const HORIZONS = [1, 7, 30];
const LEVELS = [
  { level: 80, alpha: 0.2, lower: 'lower80', upper: 'upper80' },
  { level: 95, alpha: 0.05, lower: 'lower95', upper: 'upper95' },
] as const;
const TIE = 0.005;

const CANDIDATES: { garchT: number; ewmaNormal: number }[] = [];
for (const garchT of [0, 0.125, 0.25, 0.375, 0.5, 0.625, 0.75]) {
  for (const ewmaNormal of [0, 0.125, 0.25, 0.375, 0.5]) {
    if (garchT + ewmaNormal <= 0.75 + 1e-9) CANDIDATES.push({ garchT, ewmaNormal });
  }
}
const label = (c: { garchT: number; ewmaNormal: number }) =>
  c.garchT + c.ewmaNormal === 0 ? 'none' : `garch-t:${c.garchT},ewma-normal:${c.ewmaNormal}`;

/** One forecast's scores at one level. */
interface Scored {
  origin: number;
  day: string;
  /** day of the outcome */
  target: string;
  relative: number;
  usd: number;
  covered: boolean;
}

function score(f: ScoredForecast, days: readonly string[], spec: (typeof LEVELS)[number]): Scored {
  const lower = f[spec.lower];
  const upper = f[spec.upper];
  const usd = intervalScore(lower, upper, f.actual, spec.alpha);
  return {
    origin: f.origin,
    day: days[f.origin] as string,
    target: days[f.origin + f.h] as string,
    relative: usd / f.lastClose,
    usd,
    covered: f.actual >= lower && f.actual <= upper,
  };
}

interface Cell {
  symbol: string;
  h: number;
  level: number;
  /** per candidate label, and per anchor name: scored forecasts in origin order */
  bands: Map<string, Scored[]>;
  /** the anchors as the pooled tables run them (from 2019-01-01) */
  pooledAnchors: Map<string, Scored[]>;
}

async function readBars(file: string, symbol: string): Promise<DailyBar[]> {
  requireFile(file, existsSync(file));
  return (await readPriceFile(createReadStream(file), symbol)).bars;
}

async function loadCells(): Promise<Cell[]> {
  const cells: Cell[] = [];
  for (const s of SYMBOLS) {
    const bars = await readBars(path.join(dataDir, s.file), s.symbol);
    const days = bars.map((b) => b.day);
    const raw = new Map<string, Map<number, ScoredForecast[]>>();
    for (const [i, c] of CANDIDATES.entries()) {
      const report = await backtest({
        bars,
        from: s.from,
        to: TO,
        horizons: HORIZONS,
        models: [
          { name: 'naive', id: 'naive', version: '-', trainedThrough: null, model: createNaiveModel() },
        ],
        anchors: i === 0 ? ['ewma-normal', 'garch-t'] : [],
        // this candidate at every origin (without it the backtest would use the recorded yearly choices)
        calibration: { blend: c.garchT + c.ewmaNormal > 0 ? c : null },
      });
      for (const [name, scored] of report.forecasts) raw.set(name === 'naive' ? label(c) : name, scored);
    }
    const pooled = await backtest({
      bars,
      from: POOLED_FROM,
      to: TO,
      horizons: HORIZONS,
      models: [],
      anchors: ['ewma-normal', 'garch-t'],
    });
    for (const h of HORIZONS) {
      for (const spec of LEVELS) {
        const bands = new Map<string, Scored[]>();
        for (const [name, m] of raw)
          bands.set(
            name,
            (m.get(h) ?? []).map((f) => score(f, days, spec)),
          );
        const pooledAnchors = new Map<string, Scored[]>();
        for (const [name, m] of pooled.forecasts) {
          pooledAnchors.set(
            name,
            (m.get(h) ?? []).map((f) => score(f, days, spec)),
          );
        }
        cells.push({ symbol: s.symbol, h, level: spec.level, bands, pooledAnchors });
      }
    }
  }
  return cells;
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** The rule on the outcomes known by `knownBy` (every scored origin whose outcome day is ≤ knownBy). */
function choose(cells: readonly Cell[], knownBy: string) {
  const rows = CANDIDATES.map((c) => {
    let ratio = 0;
    let deviation = 0;
    for (const cell of cells) {
      const known = (name: string) => (cell.bands.get(name) ?? []).filter((f) => f.target <= knownBy);
      const own = known(label(c));
      const better = Math.min(
        mean(known('garch-t').map((f) => f.relative)),
        mean(known('ewma-normal').map((f) => f.relative)),
      );
      ratio += mean(own.map((f) => f.relative)) / better;
      deviation += Math.abs((100 * own.filter((f) => f.covered).length) / own.length - cell.level);
    }
    return { candidate: c, ratio: ratio / cells.length, deviation: deviation / cells.length };
  });
  const best = Math.min(...rows.map((r) => r.ratio));
  const tied = rows.filter((r) => r.ratio <= best + TIE);
  tied.sort((a, b) => a.deviation - b.deviation);
  return { chosen: tied[0] as (typeof rows)[number], best, tied: tied.length };
}

const cells = await loadCells();
const choice = new Map<number, string>();
process.stdout.write(
  '| scored year | evidence: outcomes known by | chosen `--blend` | its ratio | its mean deviation | best ratio | tied |\n',
);
process.stdout.write('| --- | --- | --- | ---: | ---: | ---: | ---: |\n');
for (const year of YEARS) {
  const knownBy = `${year - 1}-12-31`;
  const { chosen, best, tied } = choose(cells, knownBy);
  choice.set(year, label(chosen.candidate));
  process.stdout.write(
    `| ${year} | ${knownBy} | \`${label(chosen.candidate)}\` | ${chosen.ratio.toFixed(4)} | ${chosen.deviation.toFixed(2)} | ${best.toFixed(4)} | ${tied} |\n`,
  );
}

process.stdout.write(
  '\n| symbol | h | level | IS % (yearly-selected vs ewma-normal / garch-t) | below both? | IS USD | below both? | coverage % | within ±2? |\n',
);
process.stdout.write('| --- | ---: | --- | --- | --- | --- | --- | ---: | --- |\n');
let below = 0;
let belowUsd = 0;
let within = 0;
let ratio = 0;
for (const cell of cells) {
  const issued: Scored[] = [];
  for (const year of YEARS) {
    const name = choice.get(year) as string;
    for (const f of cell.bands.get(name) ?? []) {
      if (f.day >= POOLED_FROM && f.day.startsWith(String(year))) issued.push(f);
    }
  }
  const rel = 100 * mean(issued.map((f) => f.relative));
  const usd = mean(issued.map((f) => f.usd));
  const coverage = (100 * issued.filter((f) => f.covered).length) / issued.length;
  const anchor = (name: string) => cell.pooledAnchors.get(name) ?? [];
  const eRel = 100 * mean(anchor('ewma-normal').map((f) => f.relative));
  const gRel = 100 * mean(anchor('garch-t').map((f) => f.relative));
  const eUsd = mean(anchor('ewma-normal').map((f) => f.usd));
  const gUsd = mean(anchor('garch-t').map((f) => f.usd));
  const heldRel = rel < Math.min(eRel, gRel);
  const heldUsd = usd < Math.min(eUsd, gUsd);
  const heldCov = Math.abs(coverage - cell.level) <= 2;
  below += heldRel ? 1 : 0;
  belowUsd += heldUsd ? 1 : 0;
  within += heldCov ? 1 : 0;
  ratio += rel / Math.min(eRel, gRel);
  const mark = (held: boolean) => (held ? 'held' : '**not held**');
  process.stdout.write(
    `| ${cell.symbol} | ${cell.h} | ${cell.level}% | ${rel.toFixed(2)} vs ${eRel.toFixed(2)} / ${gRel.toFixed(2)} | ${mark(heldRel)} | ${usd.toFixed(1)} vs ${eUsd.toFixed(1)} / ${gUsd.toFixed(1)} | ${mark(heldUsd)} | ${coverage.toFixed(1)} | ${mark(heldCov)} |\n`,
  );
}
process.stdout.write(
  `\nbelow both anchors: ${below} of 12 (USD ${belowUsd}); coverage within ±2: ${within} of 12; mean IS ÷ better anchor ${(ratio / cells.length).toFixed(4)}\n`,
);
const today = choose(cells, TO);
process.stdout.write(
  `choice on every outcome known at ${TO}: ${label(today.chosen.candidate)} (ratio ${today.chosen.ratio.toFixed(4)}, mean deviation ${today.chosen.deviation.toFixed(2)}, best ${today.best.toFixed(4)}, ${today.tied} tied)\n`,
);
// the choices the backtest and the models use (blend-selection.ts) must be these
const made = [
  ...YEARS.map((year) => ({ from: `${year}-01-01`, blend: choice.get(year) as string })),
  { from: '2026-04-01', blend: label(today.chosen.candidate) },
];
const recorded = BLEND_SELECTIONS.map((s) => ({ from: s.from, blend: label(s.blend) }));
const same = JSON.stringify(made) === JSON.stringify(recorded);
process.stdout.write(
  same
    ? 'BLEND_SELECTIONS (blend-selection.ts) holds exactly these choices\n'
    : `BLEND_SELECTIONS differs from these choices: recorded ${JSON.stringify(recorded)}\n`,
);
if (!same) process.exitCode = 1;
