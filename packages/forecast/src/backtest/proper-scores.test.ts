import { describe, expect, it } from 'vitest';
import { evaluationMetrics } from './metrics.ts';
import { intervalScore, pinballLoss } from './proper-scores.ts';
import type { ScoredForecast } from './walk-forward.ts';

describe('interval (Winkler) score', () => {
  it('is the width when the outcome is inside, plus 2/α times the miss distance outside', () => {
    expect(intervalScore(90, 110, 100, 0.2)).toBe(20);
    expect(intervalScore(90, 110, 90, 0.2)).toBe(20);
    // 5 below an 80% band: 20 + (2 / 0.2) · 5
    expect(intervalScore(90, 110, 85, 0.2)).toBeCloseTo(70, 12);
    // 2 above a 95% band: 20 + (2 / 0.05) · 2
    expect(intervalScore(90, 110, 112, 0.05)).toBeCloseTo(100, 12);
  });
});

describe('pinball loss', () => {
  it('weighs an outcome above the quantile by τ and one below by 1 − τ', () => {
    expect(pinballLoss(100, 110, 0.1)).toBeCloseTo(1, 12);
    expect(pinballLoss(100, 90, 0.1)).toBeCloseTo(9, 12);
    expect(pinballLoss(100, 104, 0.5)).toBe(2);
    expect(pinballLoss(100, 100, 0.975)).toBe(0);
  });
});

describe('evaluationMetrics', () => {
  const forecast = (lastClose: number, actual: number): ScoredForecast => ({
    origin: 0,
    h: 1,
    lastClose,
    value: lastClose,
    lower80: lastClose * 0.9,
    upper80: lastClose * 1.1,
    lower95: lastClose * 0.8,
    upper95: lastClose * 1.2,
    actual,
  });

  it('averages the scores in price units and relative to the origin close, hand-computed', () => {
    // origin 100, outcome 105: inside both bands. Origin 200, outcome 250: 30 above the 80% band, 10
    // above the 95% band.
    const m = evaluationMetrics([forecast(100, 105), forecast(200, 250)], 1);
    // 80%: (20 + (40 + 10 · 30)) / 2 = 180; 95%: (40 + (80 + 40 · 10)) / 2 = 260
    expect(m.intervalScore80).toBeCloseTo(180, 10);
    expect(m.intervalScore95).toBeCloseTo(260, 10);
    // relative: (20/100 + 340/200) / 2 = 0.95; (40/100 + 480/200) / 2 = 1.4
    expect(m.intervalScore80Relative).toBeCloseTo(0.95, 12);
    expect(m.intervalScore95Relative).toBeCloseTo(1.4, 12);
    // median (the point forecast): 0.5 · 5 and 0.5 · 50 → 13.75; 0.025 quantile (80, 160): 0.025 · 25 and
    // 0.025 · 90; 0.975 quantile (120, 240): 15 above the outcome (weight 0.025), 10 below it (0.975)
    expect(m.pinball['0.5']).toBeCloseTo(13.75, 10);
    expect(m.pinball['0.025']).toBeCloseTo((0.025 * 25 + 0.025 * 90) / 2, 10);
    expect(m.pinball['0.975']).toBeCloseTo((0.025 * 15 + 0.975 * 10) / 2, 10);
    expect(m.pinballRelative['0.5']).toBeCloseTo((2.5 / 100 + 25 / 200) / 2, 12);
    expect(m.coverage80).toBe(0.5);
    expect(m.coverage95).toBe(0.5);
    expect(m.kupiec80).not.toBeNull();
    expect(evaluationMetrics([forecast(100, 105), forecast(200, 250)], 7).kupiec80).toBeNull();
  });
});
