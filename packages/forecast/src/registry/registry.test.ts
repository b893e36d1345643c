import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { addDays } from '@ethcast/days';
import { beforeAll, describe, expect, it } from 'vitest';
import { ForecastError } from '../errors.ts';
import type { CalibrationJson } from '../intervals/calibration-types.ts';
import { advanceCalibration } from '../intervals/live-calibration.ts';
import { randomWalkBars, TINY_RNN } from '../test-support/generate-series.ts';
import { useTempDirs } from '../test-support/temp-dirs.ts';
import { trainModel } from '../training/train-model.ts';
import { findModelsDir } from './find-models-dir.ts';
import { loadRegistry, type ModelRegistry } from './load-registry.ts';

const bars = randomWalkBars({ days: 420, seed: 5 });
let modelsDir = '';
const temp = useTempDirs('ethcast-registry-');
let registry: ModelRegistry;

async function errorOf(promise: Promise<unknown>): Promise<ForecastError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ForecastError) return error;
    throw error;
  }
  throw new Error('expected a ForecastError');
}

beforeAll(async () => {
  modelsDir = await temp.make();
  for (const name of ['naive', 'theta', 'lstm'] as const) {
    await trainModel({ name, symbol: 'ETH-USD', bars, modelsDir, seed: 1, rnn: TINY_RNN });
  }
  // a shipped BTC-USD folder sorts before every eth-usd-* folder by name
  await trainModel({ name: 'naive', symbol: 'BTC-USD', bars, modelsDir, seed: 1 });
  registry = await loadRegistry(modelsDir);
}, 60_000);

describe('registry', () => {
  it('lists shipped models plus baselines for ETH-USD and BTC-USD', () => {
    const eth = registry.list('ETH-USD').map((m) => m.id);
    expect(eth).toEqual(
      expect.arrayContaining(['eth-usd-naive', 'eth-usd-drift', 'eth-usd-theta', 'eth-usd-lstm']),
    );
    expect(
      registry
        .list('BTC-USD')
        .map((m) => m.name)
        .sort(),
    ).toEqual(['drift', 'naive']);
    expect(registry.get('ETH-USD', 'lstm').maxHorizon).toBe(TINY_RNN.maxHorizon);
  });

  it('lists ETH-USD first, then the other symbols', () => {
    const symbols = registry.list().map((m) => m.symbol);
    expect([...new Set(symbols)]).toEqual(['ETH-USD', 'BTC-USD']);
    expect(symbols.lastIndexOf('ETH-USD')).toBeLessThan(symbols.indexOf('BTC-USD'));
  });

  it('caches: loading the same folder twice gives the same registry', async () => {
    expect(await loadRegistry(modelsDir)).toBe(registry);
  });

  it('falls back to persistence as default when no backtest was recorded', () => {
    expect(registry.defaultModel('ETH-USD').name).toBe('naive');
  });

  it('forecasts consecutive days after the history with ordered 80%/95% bounds', async () => {
    for (const model of ['naive', 'drift', 'theta', 'lstm']) {
      const result = await registry.forecast({ symbol: 'ETH-USD', model, history: bars, horizon: 7 });
      expect(result.dataThrough).toBe(bars[bars.length - 1]?.day);
      const last = bars[bars.length - 1]?.day as string;
      expect(result.points.map((p) => p.day)).toEqual([1, 2, 3, 4, 5, 6, 7].map((h) => addDays(last, h)));
      for (const p of result.points) {
        expect(p.lower95).toBeLessThanOrEqual(p.lower80);
        expect(p.lower80).toBeLessThanOrEqual(p.value);
        expect(p.value).toBeLessThanOrEqual(p.upper80);
        expect(p.upper80).toBeLessThanOrEqual(p.upper95);
      }
    }
  });

  it('serves bands that never narrow at a longer horizon (monotone calibration)', async () => {
    const result = await registry.forecast({ symbol: 'ETH-USD', model: 'naive', history: bars, horizon: 30 });
    // persistence: the centre is the last close at every horizon, so the bounds themselves must spread out
    for (let i = 1; i < result.points.length; i++) {
      const a = result.points[i - 1];
      const b = result.points[i];
      if (!a || !b) throw new Error('missing point');
      expect(b.lower95).toBeLessThanOrEqual(a.lower95 * (1 + 1e-12));
      expect(b.lower80).toBeLessThanOrEqual(a.lower80 * (1 + 1e-12));
      expect(b.upper80).toBeGreaterThanOrEqual(a.upper80 * (1 - 1e-12));
      expect(b.upper95).toBeGreaterThanOrEqual(a.upper95 * (1 - 1e-12));
    }
    const metadata = JSON.parse(
      await readFile(path.join(modelsDir, 'eth-usd-naive', 'metadata.json'), 'utf8'),
    );
    expect(metadata.calibration.bands).toBe('monotone');
  });

  it('serves a live calibration made under older shipped metadata with the shipped method at its α levels', async () => {
    const shipped = registry.shippedCalibration('ETH-USD', 'naive');
    if (!shipped?.blend || !shipped.garch) throw new Error('the test model should carry the shipped method');
    // a live version from before the shipped metadata gained the EWMA-mixed scale and the anchor blend:
    // its method fields are the old ones, its bounds were read off the old anchors
    const { blend: _b, ewmaScaleWeight: _w, halfLife: _h, ...older } = shipped;
    const oldHorizons = Object.fromEntries(
      Object.entries(shipped.horizons).map(([h, q]) => [
        h,
        {
          ...q,
          lower80: q.lower80 * 1.3,
          upper80: q.upper80 * 1.3,
          lower95: q.lower95 * 1.3,
          upper95: q.upper95 * 1.3,
        },
      ]),
    );
    const live = advanceCalibration({
      // the server's database keeps such a version as it was written, without the newer fields
      shipped: { ...older, horizons: oldHorizons } as CalibrationJson,
      maxHorizon: 30,
      outcomes: [],
    });
    expect(live.blend).toBeUndefined();
    const served = await registry.forecast({
      symbol: 'ETH-USD',
      model: 'naive',
      history: bars,
      horizon: 30,
      calibration: live,
    });
    // α has not moved, so the live version must serve exactly the shipped bands
    const plain = await registry.forecast({ symbol: 'ETH-USD', model: 'naive', history: bars, horizon: 30 });
    for (const [i, p] of served.points.entries()) {
      const q = plain.points[i] as (typeof plain.points)[number];
      for (const key of ['lower95', 'lower80', 'upper80', 'upper95'] as const) {
        expect(p[key]).toBeCloseTo(q[key], 9);
      }
    }
    // and a version whose α moved serves the shipped method at that α (wider after misses)
    const missed = advanceCalibration({
      shipped,
      current: live,
      maxHorizon: 30,
      outcomes: Array.from({ length: 40 }, () => ({ horizon: 30, covered80: false, covered95: false })),
    });
    expect(missed.blend).toEqual(shipped.blend);
    const wider = await registry.forecast({
      symbol: 'ETH-USD',
      model: 'naive',
      history: bars,
      horizon: 30,
      calibration: missed,
    });
    const w = (p: (typeof plain.points)[number]) => p.upper80 - p.lower80;
    expect(w(wider.points[29] as (typeof plain.points)[number])).toBeGreaterThan(
      w(plain.points[29] as (typeof plain.points)[number]),
    );
  });

  it('serves repeated requests from the cache without changing results', async () => {
    const first = await registry.forecast({ symbol: 'ETH-USD', model: 'lstm', history: bars, horizon: 7 });
    const again = await registry.forecast({
      symbol: 'ETH-USD',
      model: 'lstm',
      history: [...bars],
      horizon: 5,
    });
    expect(again.points).toEqual(first.points.slice(0, 5));
    const last = bars[bars.length - 1] as (typeof bars)[number];
    const moved = [...bars.slice(0, -1), { ...last, close: last.close * 1.1 }];
    const changed = await registry.forecast({ symbol: 'ETH-USD', model: 'lstm', history: moved, horizon: 7 });
    expect(changed.points[0]?.value).not.toBe(first.points[0]?.value);
  });

  it('refuses unknown models, long horizons, short and bad history with clear errors', async () => {
    expect(() => registry.get('ETH-USD', 'prophet')).toThrow(
      /unknown model 'prophet' for ETH-USD; available:/,
    );
    const unknown = await errorOf(registry.forecast({ symbol: 'DOGE-USD', history: bars, horizon: 1 }));
    expect(unknown.code).toBe('UNKNOWN_MODEL');
    const long = await errorOf(
      registry.forecast({ symbol: 'ETH-USD', model: 'naive', history: bars, horizon: 31 }),
    );
    expect(long.code).toBe('HORIZON_TOO_LONG');
    const longLstm = await errorOf(
      registry.forecast({ symbol: 'ETH-USD', model: 'lstm', history: bars, horizon: 8 }),
    );
    expect(longLstm.message).toMatch(/from 1 to 7/);
    const short = await errorOf(
      registry.forecast({ symbol: 'ETH-USD', model: 'lstm', history: bars.slice(0, 5), horizon: 3 }),
    );
    expect(short.code).toBe('HISTORY_TOO_SHORT');
    expect(short.message).toBe('lstm needs 31 days of history, got 5');
    const bad = bars.map((b, i) => (i === 100 ? { ...b, close: Number.NaN } : b));
    expect((await errorOf(registry.forecast({ symbol: 'ETH-USD', history: bad, horizon: 3 }))).code).toBe(
      'BAD_HISTORY',
    );
    const negative = bars.map((b, i) => (i === 100 ? { ...b, close: -5 } : b));
    expect(
      (await errorOf(registry.forecast({ symbol: 'ETH-USD', history: negative, horizon: 3 }))).code,
    ).toBe('BAD_HISTORY');
  });
});

describe('corrupt artifacts', () => {
  async function copyOf(): Promise<string> {
    const dir = await temp.make();
    await cp(modelsDir, dir, { recursive: true });
    return dir;
  }

  it('reports a missing weights.bin', async () => {
    const dir = await copyOf();
    await rm(path.join(dir, 'eth-usd-lstm', 'weights.bin'));
    const error = await errorOf(loadRegistry(dir));
    expect(error.code).toBe('CORRUPT_MODEL');
    expect(error.message).toMatch(/cannot read weights\.bin/);
  });

  it('reports a truncated weights.bin', async () => {
    const dir = await copyOf();
    const file = path.join(dir, 'eth-usd-lstm', 'weights.bin');
    const bytes = await readFile(file);
    await writeFile(file, bytes.subarray(0, 100));
    expect((await errorOf(loadRegistry(dir))).message).toMatch(/too short/);
  });

  it('reports unreadable or invalid metadata', async () => {
    const dir = await copyOf();
    await writeFile(path.join(dir, 'eth-usd-theta', 'metadata.json'), '{"id": ');
    expect((await errorOf(loadRegistry(dir))).message).toMatch(/eth-usd-theta: cannot read metadata\.json/);
    const dir2 = await copyOf();
    const file = path.join(dir2, 'eth-usd-theta', 'metadata.json');
    const metadata = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    delete metadata.calibration;
    await writeFile(file, JSON.stringify(metadata));
    expect((await errorOf(loadRegistry(dir2))).message).toMatch(/missing calibration/);
  });
});

describe('findModelsDir', () => {
  it('walks up to the folder holding models/', async () => {
    const root = await temp.make();
    await mkdir(path.join(root, 'models'));
    await writeFile(path.join(root, 'package.json'), '{}');
    // a source folder called models/ below the root must not match
    await mkdir(path.join(root, 'packages', 'forecast', 'src', 'models'), { recursive: true });
    expect(findModelsDir(path.join(root, 'packages', 'forecast', 'src', 'registry'))).toBe(
      path.join(root, 'models'),
    );
    expect(findModelsDir()).toMatch(/models$/);
    expect(findModelsDir()).not.toMatch(/src[\\/]models$/);
  });
});
