import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateHistory } from '../data/validate-history.ts';
import { blendComponents } from '../intervals/combination.ts';
import { storedScales } from '../intervals/stored-bands.ts';
import { MODEL_NAMES } from '../models/point-model.ts';
import { loadModelArtifacts } from '../registry/load-artifacts.ts';
import { createRegistry, loadRegistry, type ModelRegistry } from '../registry/load-registry.ts';
import { garchTBars } from '../test-support/generate-series.ts';
import { useTempDirs } from '../test-support/temp-dirs.ts';
import { trainModel } from '../training/train-model.ts';
import type { DailyBar } from '../types.ts';
import { forecastAnchorBands } from './anchor-artifact.ts';
import { buildSymbolModels, type SymbolModelsBuilt } from './build-symbol-models.ts';
import { BUILD_BACKTEST_DAYS, MIN_BUILD_HISTORY, MIN_TRAINING_DAYS } from './min-history.ts';

const temp = useTempDirs('ethcast-build-');
const SYMBOL = 'TEST-USD';
/** the true process: long-run daily volatility √(ω / (1 − α − β)) = 2%, fat tails (ν = 5) */
const TRUTH = { omega: 2e-5, alpha: 0.1, beta: 0.85, nu: 5 };
const BUILD_DAYS = 1500;
const UNSEEN_DAYS = 2000;
const series = garchTBars({ days: BUILD_DAYS + UNSEEN_DAYS, params: TRUTH, seed: 2026 });
const history = series.slice(0, BUILD_DAYS);

function built(result: Awaited<ReturnType<typeof buildSymbolModels>>): SymbolModelsBuilt {
  if (result.status !== 'built') throw new Error(`expected a build, got ${JSON.stringify(result)}`);
  return result;
}

/** MODEL_NAMES order decides ties, as in pickDefault */
function lowestScore(build: SymbolModelsBuilt): string {
  const rank = (name: string) => (MODEL_NAMES as readonly string[]).indexOf(name);
  const ranked = [...build.models].sort(
    (a, b) =>
      (a.metadata.backtest?.score ?? Number.POSITIVE_INFINITY) -
        (b.metadata.backtest?.score ?? Number.POSITIVE_INFINITY) || rank(a.name) - rank(b.name),
  );
  return ranked[0]?.name ?? '';
}

describe('buildSymbolModels on a GARCH-t series of a symbol never seen', () => {
  let build: SymbolModelsBuilt;
  let registry: ModelRegistry;
  beforeAll(async () => {
    build = built(await buildSymbolModels(SYMBOL, history, { createdAt: new Date('2026-12-08T00:00:00Z') }));
    registry = createRegistry(await loadModelArtifacts(build.models));
  }, 600_000);

  it('builds naive, drift and theta calibrated on the whole history, and both anchors', () => {
    expect(build.models.map((m) => m.id)).toEqual(['test-usd-naive', 'test-usd-drift', 'test-usd-theta']);
    expect(build.anchors.map((a) => a.name)).toEqual(['ewma-normal', 'garch-t']);
    const last = history[history.length - 1] as DailyBar;
    expect(build.training).toMatchObject({ from: history[0]?.day, through: last.day, rows: BUILD_DAYS });
    for (const m of build.models) {
      expect(m.metadata.training).toMatchObject(build.training);
      expect(m.version).toBe(`${last.day}.${build.training.dataHash.slice(0, 8)}`);
      const c = m.metadata.calibration;
      // the shipped band method: GARCH-t scale mixed with the EWMA volatility, blended with both anchors
      expect(c.scale).toBe('garch-t');
      expect(c.ewmaScaleWeight).toBe(0.5);
      expect(c.blend?.garchT).toBeGreaterThan(0);
      expect(c.blend?.ewmaNormal).toBeGreaterThan(0);
      expect(c.samples).toBe(BUILD_DAYS - 31 - 30 + 1);
      expect(m.contentHash).toMatch(/^[0-9a-f]{64}$/);
    }
    // the GARCH-t fit on the symbol's own returns finds the process it came from
    const garch = build.models[0]?.metadata.calibration.garch;
    expect((garch?.alpha ?? 0) + (garch?.beta ?? 0)).toBeCloseTo(TRUTH.alpha + TRUTH.beta, 1);
    expect(build.anchors[1]?.parameters).toEqual({ garch });
  });

  it('records the backtest of the last year against persistence and flags the default by the shipped rule', () => {
    const fromIndex = BUILD_DAYS - BUILD_BACKTEST_DAYS;
    expect(build.backtest).toEqual({
      from: history[fromIndex]?.day,
      to: history[BUILD_DAYS - 1]?.day,
      modelsTrainedThrough: history[fromIndex - 1]?.day,
      horizons: [1, 7, 30],
    });
    for (const m of build.models) {
      const b = m.metadata.backtest;
      expect(b).toMatchObject({ from: build.backtest.from, to: build.backtest.to });
      expect(b?.modelsTrainedThrough).toBe(build.backtest.modelsTrainedThrough);
      expect(Object.keys(b?.metrics ?? {})).toEqual(['1', '7', '30']);
      const ratios = ['1', '7', '30'].map((h) => b?.metrics[h]?.maeRatio as number);
      expect(b?.score).toBeCloseTo(ratios.reduce((s, r) => s + r, 0) / 3, 12);
    }
    // persistence against itself, and the anchors centre on persistence
    expect(build.models[0]?.metadata.backtest?.score).toBe(1);
    for (const a of build.anchors) expect(a.backtest.score).toBe(1);
    expect(build.models.filter((m) => m.metadata.isDefault).map((m) => m.name)).toEqual([build.defaultModel]);
    expect(build.defaultModel).toBe(lowestScore(build));
    expect(registry.defaultModel(SYMBOL).name).toBe(build.defaultModel);
  });

  it('serves every baseline with both anchors blended into its bands, in memory and from a folder', async () => {
    const dir = await temp.make();
    for (const m of build.models) {
      await mkdir(path.join(dir, m.id));
      for (const [name, bytes] of Object.entries(m.files)) await writeFile(path.join(dir, m.id, name), bytes);
    }
    const fromFolder = await loadRegistry(dir);
    const closes = validateHistory(history);
    for (const m of build.models) {
      const served = await registry.forecast({ symbol: SYMBOL, model: m.name, history, horizon: 30 });
      expect(served.points).toHaveLength(30);
      expect(served.model.version).toBe(m.version);
      for (const p of served.points) {
        expect(p.lower95).toBeLessThan(p.lower80);
        expect(p.lower80).toBeLessThan(p.value);
        expect(p.value).toBeLessThan(p.upper80);
        expect(p.upper80).toBeLessThan(p.upper95);
      }
      const again = await fromFolder.forecast({ symbol: SYMBOL, model: m.name, history, horizon: 30 });
      expect(again.points).toEqual(served.points);
      // both anchor bands exist at this origin, so both take part in the served band
      const c = m.metadata.calibration;
      const components = blendComponents(closes, storedScales(c, closes, 30), c.garch ?? null);
      expect(components.garchT).toHaveLength(30);
      expect(components.ewmaNormal).toHaveLength(30);
    }
    for (const anchor of build.anchors) {
      const points = forecastAnchorBands(anchor, history, 30);
      expect(points).toHaveLength(30);
      expect(points[0]?.value).toBe(history[BUILD_DAYS - 1]?.close);
      for (const p of points) {
        expect(p.lower95).toBeLessThan(p.lower80);
        expect(p.upper80).toBeLessThan(p.upper95);
      }
    }
    const [ewma, garch] = build.anchors.map((a) => forecastAnchorBands(a, history, 1)[0]?.upper95);
    expect(ewma).not.toBe(garch);
  });

  it('refuses a corrupt in-memory folder as it refuses one on disk', async () => {
    const m = build.models[0] as (typeof build.models)[number];
    const text = (value: unknown) =>
      new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));
    await expect(loadModelArtifacts([{ id: 'test-usd-drift', files: m.files }])).rejects.toThrow(
      /holds metadata for 'test-usd-naive'/,
    );
    await expect(
      loadModelArtifacts([{ id: m.id, files: { 'metadata.json': text('{"id": ') } }]),
    ).rejects.toThrow(/test-usd-naive: cannot read metadata\.json/);
    await expect(loadModelArtifacts([{ id: m.id, files: {} }])).rejects.toMatchObject({
      code: 'CORRUPT_MODEL',
    });
    const broken = { ...m.metadata, calibration: { ...m.metadata.calibration, horizons: {} } };
    await expect(
      loadModelArtifacts([{ id: m.id, files: { 'metadata.json': text(broken) } }]),
    ).rejects.toThrow(/calibration missing or not finite for horizon 1/);
  });

  it('covers 80% and 95% of 2,000 unseen days at 1 day within 3 points, for every baseline', async () => {
    const counts = new Map(build.models.map((m) => [m.name, { in80: 0, in95: 0 }]));
    // origins from the last built day on: every outcome is after the history the models were built on
    for (let t = BUILD_DAYS - 1; t < BUILD_DAYS - 1 + UNSEEN_DAYS - 1; t++) {
      // a forecast reads at most the last 366 closes
      const recent = series.slice(t - 399, t + 1);
      const actual = (series[t + 1] as DailyBar).close;
      for (const m of build.models) {
        const p = (await registry.forecast({ symbol: SYMBOL, model: m.name, history: recent, horizon: 1 }))
          .points[0];
        const c = counts.get(m.name) as { in80: number; in95: number };
        if (p && actual >= p.lower80 && actual <= p.upper80) c.in80++;
        if (p && actual >= p.lower95 && actual <= p.upper95) c.in95++;
      }
    }
    for (const [name, c] of counts) {
      const coverage = { name, c80: c.in80 / (UNSEEN_DAYS - 1), c95: c.in95 / (UNSEEN_DAYS - 1) };
      console.info(`[build] ${name} 1-day coverage on unseen days: ${JSON.stringify(coverage)}`);
      expect(Math.abs(coverage.c80 - 0.8)).toBeLessThanOrEqual(0.03);
      expect(Math.abs(coverage.c95 - 0.95)).toBeLessThanOrEqual(0.03);
    }
  }, 300_000);
});

describe('buildSymbolModels at the edge of the minimum history', () => {
  it('answers a history one day short with the days still missing', async () => {
    const short = series.slice(0, MIN_BUILD_HISTORY - 1);
    expect(await buildSymbolModels(SYMBOL, short)).toEqual({
      status: 'history-too-short',
      symbol: SYMBOL,
      days: MIN_BUILD_HISTORY - 1,
      required: MIN_BUILD_HISTORY,
      missingDays: 1,
    });
    expect(await buildSymbolModels(SYMBOL, [])).toMatchObject({ missingDays: MIN_BUILD_HISTORY });
  });

  it('is 300 training days (first GARCH fit, 20 thirty-day outcomes) plus the backtest year', () => {
    expect(MIN_TRAINING_DAYS).toBe(251 + 19 + 30);
    expect(MIN_BUILD_HISTORY).toBe(MIN_TRAINING_DAYS + 365);
  });

  it('refuses bad history and symbols with their codes', async () => {
    const gap = [...series.slice(0, 10), ...series.slice(11, MIN_BUILD_HISTORY + 1)];
    await expect(buildSymbolModels(SYMBOL, gap)).rejects.toMatchObject({ code: 'BAD_HISTORY' });
    await expect(buildSymbolModels(SYMBOL, null as unknown as DailyBar[])).rejects.toMatchObject({
      code: 'BAD_HISTORY',
    });
    await expect(buildSymbolModels(SYMBOL, gap, { createdAt: new Date('soon') })).rejects.toThrow(RangeError);
    await expect(buildSymbolModels('../eth', series.slice(0, 10))).rejects.toMatchObject({
      code: 'BAD_SYMBOL',
    });
  });

  it('builds from exactly the minimum, picks the default by the rule on a trending symbol, and hashes content only', async () => {
    // a steady rise of 0.8% a day: extrapolating it beats persistence
    const trending = garchTBars({ days: MIN_BUILD_HISTORY, params: TRUTH, seed: 7, drift: 0.008 });
    const steps: string[] = [];
    const first = built(
      await buildSymbolModels('TREND-USD', trending, {
        createdAt: new Date(0),
        onProgress: (step, done, total) => steps.push(`${step} ${done}/${total}`),
      }),
    );
    expect(steps).toEqual([
      'calibrate naive 0/4',
      'calibrate drift 1/4',
      'calibrate theta 2/4',
      'backtest 3/4',
      'backtest 4/4',
    ]);
    expect(first.models[0]?.metadata.createdAt).toBe('1970-01-01T00:00:00.000Z');
    expect(first.backtest.from).toBe(trending[MIN_TRAINING_DAYS]?.day);
    expect(first.defaultModel).not.toBe('naive');
    expect(first.defaultModel).toBe(lowestScore(first));
    expect(first.models.find((m) => m.name === first.defaultModel)?.metadata.isDefault).toBe(true);

    // what `pnpm train` writes for the same data is the same model (only createdAt, and the backtest and
    // default that `pnpm backtest --record-to` adds later, differ)
    const dir = await temp.make();
    const trained = await trainModel({ name: 'theta', symbol: 'TREND-USD', bars: trending, modelsDir: dir });
    const theta = first.models.find((m) => m.name === 'theta')?.metadata;
    expect({ ...theta, backtest: null, isDefault: false, createdAt: '' }).toEqual({
      ...trained,
      createdAt: '',
    });

    // a rebuild at another time hashes the same; one changed close changes every hash
    const again = built(await buildSymbolModels('TREND-USD', trending, { createdAt: new Date() }));
    expect(again.models.map((m) => m.contentHash)).toEqual(first.models.map((m) => m.contentHash));
    expect(again.anchors.map((a) => a.contentHash)).toEqual(first.anchors.map((a) => a.contentHash));
    expect(again.models[0]?.files['metadata.json']).not.toEqual(first.models[0]?.files['metadata.json']);
    const moved = trending.map((b, i) => (i === 100 ? { ...b, close: b.close * 1.01 } : b));
    const other = built(await buildSymbolModels('TREND-USD', moved, { createdAt: new Date(0) }));
    for (const [i, m] of other.models.entries()) expect(m.contentHash).not.toBe(first.models[i]?.contentHash);
  }, 600_000);
});
