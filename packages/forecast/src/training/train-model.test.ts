import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateHistory } from '../data/validate-history.ts';
import type { HorizonQuantiles } from '../intervals/calibration-types.ts';
import { blendComponents } from '../intervals/combination.ts';
import { garchScales, mixEwmaScales } from '../intervals/scale-models.ts';
import { conformalIntervals, storedBandQuantiles } from '../intervals/stored-bands.ts';
import { fitReturnScaling } from '../neural/features.ts';
import { loadModels, loadRegistry } from '../registry/load-registry.ts';
import { randomWalkBars, TINY_RNN } from '../test-support/generate-series.ts';
import { useTempDirs } from '../test-support/temp-dirs.ts';
import { recalibrateModel } from './recalibrate-model.ts';
import { trainModel } from './train-model.ts';

const bars = randomWalkBars({ days: 420, seed: 3 });

const temp = useTempDirs('ethcast-train-');
const tempDir = () => temp.make();
/** A tiny recurrent model of `bars` trained into modelsDir. */
const trainTinyRnn = (name: 'lstm' | 'gru', modelsDir: string, seed: number) =>
  trainModel({ name, symbol: 'TEST', bars, modelsDir, seed, rnn: TINY_RNN });

describe('trainModel', () => {
  it('is deterministic for a seed (identical weights) and differs for another seed', async () => {
    const [a, b, c] = [await tempDir(), await tempDir(), await tempDir()];
    await trainTinyRnn('lstm', a, 9);
    await trainTinyRnn('lstm', b, 9);
    await trainTinyRnn('lstm', c, 10);
    const weights = (dir: string) => readFile(path.join(dir, 'test-lstm', 'weights.bin'));
    expect(Buffer.compare(await weights(a), await weights(b))).toBe(0);
    expect(Buffer.compare(await weights(a), await weights(c))).not.toBe(0);
  });

  it('writes a folder that loads back and forecasts like the trained model (save/load round trip)', async () => {
    const dir = await tempDir();
    const metadata = await trainTinyRnn('gru', dir, 1);
    expect(metadata.id).toBe('test-gru');
    expect(metadata.maxHorizon).toBe(TINY_RNN.maxHorizon);
    expect(metadata.training.through).toBe(bars[bars.length - 1]?.day);
    expect(metadata.training.dataHash).toMatch(/^[0-9a-f]{64}$/);
    expect(metadata.training.epochs?.length).toBeGreaterThan(0);
    const loaded = (await loadModels(dir)).find((m) => m.info.id === 'test-gru');
    // window + 1 closes for the returns, but at least 31 for the volatility behind the intervals
    expect(loaded?.info.minHistory).toBe(Math.max(TINY_RNN.window + 1, 31));
    const closes = validateHistory(bars);
    const out = loaded?.model.predictLogChange(closes, 7);
    expect(out).toHaveLength(7);
    expect(Array.from(out ?? []).every(Number.isFinite)).toBe(true);
    // reloading gives bit-identical forecasts
    const again = (await loadModels(dir)).find((m) => m.info.id === 'test-gru');
    expect(Array.from(again?.model.predictLogChange(closes, 7) ?? [])).toEqual(Array.from(out ?? []));
  });

  it('fits scaling on the training window only', async () => {
    const dir = await tempDir();
    const metadata = await trainTinyRnn('lstm', dir, 1);
    const closes = validateHistory(bars);
    expect(metadata.features.scaling).toEqual(fitReturnScaling(closes, closes.length - 1));
  });

  it('stores a conformal calibration for every horizon', async () => {
    const dir = await tempDir();
    const metadata = await trainModel({ name: 'theta', symbol: 'TEST', bars, modelsDir: dir });
    expect(Object.keys(metadata.calibration.horizons)).toHaveLength(30);
    const q = metadata.calibration.horizons['7'];
    expect(q?.lower95).toBeLessThan(q?.lower80 ?? 0);
    expect(q?.upper95).toBeGreaterThan(q?.upper80 ?? 0);
  });

  it('stores the shipped interval method: absolute, age-weighted scores on GARCH-t scales averaged with the EWMA volatility, blended with the anchors', async () => {
    const dir = await tempDir();
    const metadata = await trainModel({ name: 'naive', symbol: 'TEST', bars, modelsDir: dir });
    const c = metadata.calibration;
    expect(c.scale).toBe('garch-t');
    expect(c.sides).toBe('absolute');
    expect(c.gamma).toBe(0);
    expect(c.halfLife).toBe(730);
    expect(c.ewmaScaleWeight).toBe(0.5);
    expect(c.blend).toEqual({ garchT: 0.125, ewmaNormal: 0.125 });
    const g = c.garch;
    expect(g && g.alpha + g.beta).toBeLessThan(1);
    expect(g?.nu).toBeGreaterThan(2);
    // symmetric bands in log space
    expect(c.horizons['7']?.lower80).toBeCloseTo(-(c.horizons['7']?.upper80 as number), 12);
    // served bands use those parameters: exactly the conformal interval on the mixed scale, averaged with the
    // anchors' bands at the last close
    const registry = await loadRegistry(dir);
    const { points } = await registry.forecast({ symbol: 'TEST', model: 'naive', history: bars, horizon: 7 });
    const closes = validateHistory(bars);
    const scales = mixEwmaScales(garchScales(g as NonNullable<typeof g>, closes, 30), closes, 0.5);
    const components = blendComponents(closes, scales, g as NonNullable<typeof g>);
    const q = storedBandQuantiles(c, scales, components)[6] as HorizonQuantiles;
    expect(q.upper95).not.toBeCloseTo((storedBandQuantiles(c, scales)[6] as HorizonQuantiles).upper95, 3);
    const expected = conformalIntervals(closes[closes.length - 1] as number, 0, scales[6] as number, q);
    expect(points[6]?.upper95).toBeCloseTo(expected.upper95, 9);
    expect(points[6]?.lower80).toBeCloseTo(expected.lower80, 9);
  });

  it('refuses too little training data with a clear message', async () => {
    const dir = await tempDir();
    await expect(
      trainModel({ name: 'lstm', symbol: 'TEST', bars: bars.slice(0, 60), modelsDir: dir, rnn: TINY_RNN }),
    ).rejects.toThrow(/not enough history to train/);
  });

  it('recalibrates a folder in place, only with the exact training data', async () => {
    const dir = await tempDir();
    const trained = await trainModel({ name: 'drift', symbol: 'TEST', bars, modelsDir: dir });
    const file = path.join(dir, 'test-drift', 'metadata.json');
    const tampered = JSON.parse(await readFile(file, 'utf8'));
    tampered.calibration.horizons['1'].upper80 = 99;
    await writeFile(file, JSON.stringify(tampered));
    const recalibrated = await recalibrateModel({ modelsDir: dir, symbol: 'TEST', name: 'drift', bars });
    expect(recalibrated.calibration).toEqual(trained.calibration);
    const otherData = bars.map((b, i) => (i === 10 ? { ...b, close: b.close * 1.01 } : b));
    await expect(
      recalibrateModel({ modelsDir: dir, symbol: 'TEST', name: 'drift', bars: otherData }),
    ).rejects.toThrow(/exact data/);
  });
});
