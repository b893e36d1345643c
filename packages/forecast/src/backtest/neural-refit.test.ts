import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { validateHistory } from '../data/validate-history.ts';
import { loadModels } from '../registry/load-registry.ts';
import { randomWalkBars, TINY_RNN } from '../test-support/generate-series.ts';
import { useTempDirs } from '../test-support/temp-dirs.ts';
import { trainModel } from '../training/train-model.ts';
import { NeuralRefitter } from './neural-refit.ts';

const temp = useTempDirs('ethcast-refit-');

describe('NeuralRefitter', () => {
  it('trains once per data and cell, shares the refit with the ensemble and reuses the cache folder', async () => {
    const bars = randomWalkBars({ days: 420, seed: 5 });
    const modelsDir = await temp.make();
    for (const name of ['naive', 'drift', 'theta', 'lstm', 'gru', 'ensemble'] as const) {
      await trainModel({ name, symbol: 'TEST', bars: bars.slice(0, 300), modelsDir, seed: 3, rnn: TINY_RNN });
    }
    const loaded = await loadModels(modelsDir, { symbol: 'TEST' });
    const byName = (name: string) => loaded.find((x) => x.info.name === name);
    const metadata = (name: string) => loaded.find((m) => m.info.name === name)?.metadata;
    const cacheDir = await temp.make();
    const closes = validateHistory(bars).subarray(0, 350);

    const first = new NeuralRefitter({ cacheDir });
    const lstm = await first.refitFor(
      metadata('lstm') as NonNullable<ReturnType<typeof metadata>>,
      byName,
    )?.(closes);
    const ensemble = await first.refitFor(
      metadata('ensemble') as NonNullable<ReturnType<typeof metadata>>,
      byName,
    )?.(closes);
    // lstm once (shared with the ensemble), gru once for the ensemble
    expect(first.records.map((r) => [r.cell, r.closes, r.cached])).toEqual([
      ['lstm', 350, false],
      ['gru', 350, false],
    ]);
    expect((await readdir(cacheDir)).filter((d) => !d.includes('.partial'))).toHaveLength(2);

    const second = new NeuralRefitter({ cacheDir });
    const again = await second.refitFor(
      metadata('lstm') as NonNullable<ReturnType<typeof metadata>>,
      byName,
    )?.(closes);
    expect(second.records.map((r) => r.cached)).toEqual([true]);
    const history = validateHistory(bars).subarray(0, 360);
    expect(Array.from(again?.predictLogChange(history, 7) ?? [])).toEqual(
      Array.from(lstm?.predictLogChange(history, 7) ?? []),
    );
    expect(ensemble?.predictLogChange(history, 7)).toHaveLength(7);
    // baselines have nothing to refit
    expect(
      first.refitFor(metadata('theta') as NonNullable<ReturnType<typeof metadata>>, byName),
    ).toBeUndefined();
  }, 60_000);
});
