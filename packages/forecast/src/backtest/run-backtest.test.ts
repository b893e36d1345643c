import { describe, expect, it } from 'vitest';
import { createDriftModel } from '../models/drift.ts';
import { createNaiveModel } from '../models/naive.ts';
import { randomWalkBars } from '../test-support/generate-series.ts';
import { type BacktestModelResult, backtest, pickDefault } from './run-backtest.ts';

const bars = randomWalkBars({ days: 600, seed: 4 });
const from = bars[500]?.day as string;
const to = bars[599]?.day as string;

describe('backtest', () => {
  it('scores every origin whose target is inside the range, persistence ratio 1 and hit rate 0.5', async () => {
    const report = await backtest({
      bars,
      from,
      to,
      horizons: [1, 7],
      models: [
        { name: 'naive', id: 't-naive', version: 'x', trainedThrough: null, model: createNaiveModel() },
      ],
    });
    const naive = report.models[0];
    expect(naive?.origins).toEqual({ '1': 99, '7': 93 });
    expect(naive?.metrics['1']?.maeRatio).toBe(1);
    expect(naive?.metrics['7']?.hitRate).toBe(0.5);
    expect(report.defaultModel).toBe('naive');
  });

  it('refits every K origins on data through the origin when asked', async () => {
    const seen: number[] = [];
    const report = await backtest({
      bars,
      from,
      to,
      horizons: [1],
      retrainEvery: 25,
      models: [
        {
          name: 'drift',
          id: 't-drift',
          version: 'x',
          trainedThrough: to,
          learnsFromTraining: true,
          model: createDriftModel(),
          refit: async (closes) => {
            seen.push(closes.length);
            return createDriftModel();
          },
        },
      ],
    });
    expect(seen).toEqual([501, 526, 551, 576]);
    expect(report.models[0]?.inSample).toBe(false);
  });

  it('flags models trained on the scored days and never picks them as default', async () => {
    const report = await backtest({
      bars,
      from,
      to,
      horizons: [1],
      models: [
        { name: 'naive', id: 't-naive', version: 'x', trainedThrough: null, model: createNaiveModel() },
        {
          name: 'lstm',
          id: 't-lstm',
          version: 'x',
          trainedThrough: to,
          learnsFromTraining: true,
          model: createNaiveModel(),
        },
      ],
    });
    expect(report.models.map((m) => m.inSample)).toEqual([false, true]);
    const fake = (name: string, score: number, inSample = false) =>
      ({ name, score, inSample }) as BacktestModelResult;
    expect(pickDefault([fake('naive', 1), fake('theta', 0.98), fake('lstm', 0.9, true)])).toBe('theta');
    expect(pickDefault([fake('drift', 1), fake('naive', 1)])).toBe('naive');
  });
});
