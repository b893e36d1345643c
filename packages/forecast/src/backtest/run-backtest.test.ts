import { describe, expect, it } from 'vitest';
import { createDriftModel } from '../models/drift.ts';
import { createNaiveModel } from '../models/naive.ts';
import { randomWalkBars } from '../test-support/generate-series.ts';
import { type BacktestModelResult, backtest, pickDefault } from './run-backtest.ts';

const bars = randomWalkBars({ days: 600, seed: 4 });
const from = bars[500]?.day as string;
const to = bars[599]?.day as string;
/** The series and range every backtest here scores. */
const range = { bars, from, to };
const naiveEntry = () => ({
  name: 'naive',
  id: 't-naive',
  version: 'x',
  trainedThrough: null,
  model: createNaiveModel(),
});

/** A drift model that records the length of the history of each refit. */
const driftRecordingRefits = (seen: number[]) => ({
  name: 'drift',
  id: 't-drift',
  version: 'x',
  trainedThrough: to,
  learnsFromTraining: true,
  model: createDriftModel(),
  refit: async (closes: Float64Array) => {
    seen.push(closes.length);
    return createDriftModel();
  },
});

describe('backtest', () => {
  it('scores every origin whose target is inside the range, persistence ratio 1 and hit rate 0.5', async () => {
    const report = await backtest({
      ...range,
      horizons: [1, 7],
      models: [naiveEntry()],
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
      ...range,
      horizons: [1],
      retrainEvery: 25,
      models: [driftRecordingRefits(seen)],
    });
    expect(seen).toEqual([501, 526, 551, 576]);
    expect(report.models[0]?.inSample).toBe(false);
  });

  it('refits yearly on the data before each year, and uses the first refit for the calibration warm-up', async () => {
    // 600 days from 2020-01-01: 2021-01-01 is index 366, 2022-01-01 index 731 (outside)
    const seen: number[] = [];
    const start = bars[300]?.day as string;
    await backtest({
      bars,
      from: start,
      to,
      horizons: [1],
      retrainEvery: 'yearly',
      models: [driftRecordingRefits(seen)],
    });
    // first scored origin (index 300): data through index 299; 1 January 2021 (index 366): through 365
    expect(bars[366]?.day).toBe('2021-01-01');
    expect(seen).toEqual([300, 366]);
  });

  it('scores the anchors beside the models and never makes one the default', async () => {
    const report = await backtest({
      ...range,
      horizons: [1, 7],
      anchors: ['ewma-normal', 'garch-t'],
      models: [naiveEntry()],
    });
    expect(report.models.map((m) => [m.name, m.kind])).toEqual([
      ['naive', 'model'],
      ['ewma-normal', 'anchor'],
      ['garch-t', 'anchor'],
    ]);
    const garch = report.models[2];
    expect(garch?.origins).toEqual({ '1': 99, '7': 93 });
    // persistence centre: same MAE as naive
    expect(garch?.metrics['1']?.maeRatio).toBe(1);
    expect(garch?.metrics['1']?.kupiec80).toBeTypeOf('number');
    expect(Object.keys(garch?.yearly ?? {})).toEqual(['2021']);
    expect(report.defaultModel).toBe('naive');
  });

  it('flags models trained on the scored days and never picks them as default', async () => {
    const report = await backtest({
      ...range,
      horizons: [1],
      models: [
        naiveEntry(),
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
