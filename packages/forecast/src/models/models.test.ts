import { describe, expect, it } from 'vitest';
import { validateHistory } from '../data/validate-history.ts';
import { randomWalkBars } from '../test-support/generate-series.ts';
import { createDriftModel } from './drift.ts';
import { createEnsembleModel } from './ensemble.ts';
import { createNaiveModel } from './naive.ts';
import { createThetaModel } from './theta.ts';

const closes = validateHistory(randomWalkBars({ days: 400, seed: 7 }));

describe('statistical and baseline models', () => {
  it('return one finite log change per horizon', () => {
    for (const model of [createNaiveModel(), createDriftModel(), createThetaModel()]) {
      const out = model.predictLogChange(closes, 30);
      expect(out).toHaveLength(30);
      expect(Array.from(out).every(Number.isFinite)).toBe(true);
    }
  });

  it('naive is persistence and drift extrapolates the mean return linearly', () => {
    expect(Array.from(createNaiveModel().predictLogChange(closes, 3))).toEqual([0, 0, 0]);
    const trend = new Float64Array(400).map((_, i) => Math.exp(0.01 * i));
    const drift = createDriftModel().predictLogChange(trend, 3);
    expect(drift[0]).toBeCloseTo(0.01, 10);
    expect(drift[2]).toBeCloseTo(0.03, 10);
  });

  it('theta follows a clean exponential trend with half the slope beyond the level', () => {
    const trend = new Float64Array(400).map((_, i) => Math.exp(0.01 * i));
    const theta = createThetaModel().predictLogChange(trend, 10);
    // SES lags a trend, the half-slope drift compensates: forecasts rise with the horizon
    expect(theta[9] as number).toBeGreaterThan(theta[0] as number);
    expect(theta[0] as number).toBeGreaterThan(-0.01);
  });

  it('ensemble is the median of its members', () => {
    const ensemble = createEnsembleModel([createNaiveModel(), createDriftModel(), createThetaModel()], 30);
    const members = [createNaiveModel(), createDriftModel(), createThetaModel()].map((m) => m.predictLogChange(closes, 5));
    const out = ensemble.predictLogChange(closes, 5);
    for (let h = 0; h < 5; h++) {
      const sorted = members.map((m) => m[h] as number).sort((a, b) => a - b);
      expect(out[h]).toBe(sorted[1]);
    }
  });
});
