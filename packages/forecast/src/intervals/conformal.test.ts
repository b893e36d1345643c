import { describe, expect, it } from 'vitest';
import { horizonMetrics } from '../backtest/metrics.ts';
import { walkForward } from '../backtest/walk-forward.ts';
import { validateHistory } from '../data/validate-history.ts';
import { createNaiveModel } from '../models/naive.ts';
import { randomWalkBars } from '../test-support/generate-series.ts';
import { AdaptiveConformal, quantileSorted } from './conformal.ts';

describe('quantileSorted', () => {
  it('interpolates linearly', () => {
    expect(quantileSorted([0, 1, 2, 3, 4], 0.5)).toBe(2);
    expect(quantileSorted([0, 10], 0.25)).toBe(2.5);
  });
});

describe('AdaptiveConformal', () => {
  it('widens the interval after misses (ACI) and narrows after hits', () => {
    const c = new AdaptiveConformal(1, 100, 0.05);
    for (let i = 0; i < 50; i++) c.observe(1, (i % 10) / 10 - 0.45, true, true);
    const before = c.quantiles(1);
    for (let i = 0; i < 10; i++) c.observe(1, 0, false, false);
    const after = c.quantiles(1);
    expect(after.upper80 - after.lower80).toBeGreaterThan(before.upper80 - before.lower80);
  });
});

describe('interval coverage on a simulated random walk', () => {
  it('is near nominal at every horizon, also across a volatility regime change', async () => {
    // calm first, then volatility triples: EWMA scaling + ACI must keep coverage
    const bars = randomWalkBars({ days: 1600, seed: 11, volatility: (d) => (d < 1000 ? 0.02 : 0.06) });
    const closes = validateHistory(bars);
    const horizons = [1, 7, 30];
    const { scored } = await walkForward(createNaiveModel(), closes, {
      start: 30,
      scoreFrom: 500,
      scoreTo: closes.length - 1,
      horizons,
      maxHorizon: 30,
    });
    for (const h of horizons) {
      const m = horizonMetrics(scored.get(h) ?? []);
      // 1,100 origins, overlapping for h > 1: allow sampling error, still well inside ±7 points
      expect(Math.abs(m.coverage80 - 0.8)).toBeLessThan(0.07);
      expect(Math.abs(m.coverage95 - 0.95)).toBeLessThan(0.05);
    }
  });
});

describe('95% tail floor', () => {
  it('never makes the 95% bounds thinner-tailed than normal relative to the 80% bounds', () => {
    const c = new AdaptiveConformal(1, 200, 0);
    // uniform scores have thin tails: the raw 95% quantile would be only 1.19× the 80% one
    for (let i = 0; i < 200; i++) c.observe(1, i / 100 - 1, true, true);
    const q = c.quantiles(1);
    expect(q.upper95 / q.upper80).toBeCloseTo(1.959964 / 1.281552, 6);
    expect(q.lower95 / q.lower80).toBeCloseTo(1.959964 / 1.281552, 6);
  });
});
