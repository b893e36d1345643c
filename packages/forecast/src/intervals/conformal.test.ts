import { describe, expect, it } from 'vitest';
import { horizonMetrics } from '../backtest/metrics.ts';
import { walkForward } from '../backtest/walk-forward.ts';
import { validateHistory } from '../data/validate-history.ts';
import { createNaiveModel } from '../models/naive.ts';
import { randomWalkBars } from '../test-support/generate-series.ts';
import type { CalibrationJson, HorizonQuantiles } from './calibration-types.ts';
import { AdaptiveConformal } from './conformal.ts';
import { monotoneQuantiles, quantileSorted, upperWeightedQuantile } from './quantiles.ts';
import { storedBandQuantiles } from './stored-bands.ts';
import { horizonScales } from './volatility.ts';

describe('quantileSorted', () => {
  it('interpolates linearly', () => {
    expect(quantileSorted([0, 1, 2, 3, 4], 0.5)).toBe(2);
    expect(quantileSorted([0, 10], 0.25)).toBe(2.5);
  });
});

describe('AdaptiveConformal', () => {
  it('widens the interval after misses (ACI) and narrows after hits', () => {
    const c = new AdaptiveConformal(1, 0.05);
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
    const c = new AdaptiveConformal(1, 0);
    // uniform scores have thin tails: the raw 95% quantile would be only 1.19× the 80% one
    for (let i = 0; i < 200; i++) c.observe(1, i / 100 - 1, true, true);
    const q = c.quantiles(1);
    expect(q.upper95 / q.upper80).toBeCloseTo(1.959964 / 1.281552, 6);
    expect(q.lower95 / q.lower80).toBeCloseTo(1.959964 / 1.281552, 6);
  });
});

describe('expanding calibration window (the default)', () => {
  /** 300 wide scores (an old crash regime), then 400 narrow ones (a calm stretch) */
  function feed(c: AdaptiveConformal): void {
    for (let i = 0; i < 300; i++) c.observe(1, ((i * 37) % 300) / 50 - 3, true, true);
    for (let i = 0; i < 400; i++) c.observe(1, ((i * 53) % 400) / 200 - 1, true, true);
  }

  it('keeps every score, so an old wide regime still shapes the 95% bound after a calm year', () => {
    const expanding = new AdaptiveConformal(1, 0);
    feed(expanding);
    expect(expanding.toJson().samples).toBe(700);
    expect(expanding.quantiles(1).upper95).toBeGreaterThan(2);
    expect(expanding.quantiles(1).lower95).toBeLessThan(-2);
  });

  it('is recorded as window null in the calibration JSON', () => {
    const expanding = new AdaptiveConformal(1);
    feed(expanding);
    const json = expanding.toJson();
    expect(json.window).toBeNull();
    // survives a JSON round trip (Infinity would not)
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });

  it('is deterministic: the same outcomes give the same calibration', async () => {
    const closes = validateHistory(randomWalkBars({ days: 900, seed: 5, volatility: 0.03 }));
    const run = async () =>
      (
        await walkForward(createNaiveModel(), closes, {
          start: 30,
          scoreFrom: closes.length,
          scoreTo: closes.length - 1,
          horizons: [],
          maxHorizon: 30,
        })
      ).calibrator.toJson();
    const first = await run();
    expect(await run()).toEqual(first);
    // every origin whose 30-day outcome is inside the series was scored
    expect(first.samples).toBe(closes.length - 1 - 30 - 30 + 1);
  });
});

describe('coverage with scores from several volatility regimes in the sample', () => {
  it('stays near nominal at 1, 7 and 30 days when a wild regime returns after a calm year', async () => {
    // wild (4%) for three years, calm (1.5%) for one, wild again. The expanding window mixes scores from
    // all three; because each score is divided by the volatility of its day they stay comparable
    const bars = randomWalkBars({
      days: 2000,
      seed: 21,
      volatility: (d) => (d >= 1100 && d < 1465 ? 0.015 : 0.04),
    });
    const closes = validateHistory(bars);
    const { scored } = await walkForward(createNaiveModel(), closes, {
      start: 30,
      scoreFrom: 1465,
      scoreTo: closes.length - 1,
      horizons: [1, 7, 30],
      maxHorizon: 30,
    });
    for (const h of [1, 7, 30]) {
      const m = horizonMetrics(scored.get(h) ?? []);
      expect(Math.abs(m.coverage80 - 0.8)).toBeLessThan(0.08);
      expect(Math.abs(m.coverage95 - 0.95)).toBeLessThan(0.05);
    }
  });
});

describe('monotone bands across horizons (the default)', () => {
  const jagged: HorizonQuantiles[] = [
    { lower80: -1.3, upper80: 1.2, lower95: -2.0, upper95: 1.9 },
    { lower80: -1.0, upper80: 1.0, lower95: -1.5, upper95: 1.5 },
    { lower80: -1.4, upper80: 1.3, lower95: -2.2, upper95: 2.1 },
  ];

  it("makes every bound's distance from the forecast a running maximum over h, in log units", () => {
    const scales = [0.02, 0.03, 0.04];
    const q = monotoneQuantiles(jagged, scales);
    const reach = (h: number, key: keyof HorizonQuantiles) => (q[h]?.[key] as number) * (scales[h] as number);
    for (const key of ['lower80', 'lower95'] as const) {
      for (let h = 1; h < 3; h++) expect(reach(h, key)).toBeLessThanOrEqual(reach(h - 1, key));
    }
    for (const key of ['upper80', 'upper95'] as const) {
      for (let h = 1; h < 3; h++) expect(reach(h, key)).toBeGreaterThanOrEqual(reach(h - 1, key));
    }
    // a horizon that already widens keeps its own quantiles
    expect(q[0]).toEqual(jagged[0]);
    expect(q[2]).toEqual(jagged[2]);
  });

  it('lifts a bound that would come closer to the forecast at a longer horizon', () => {
    // equal scales: day 2's own 95% bound (1.5) is thinner than day 1's (1.9)
    const q = monotoneQuantiles(jagged, [0.05, 0.05, 0.05]);
    expect(q[1]).toEqual({ lower80: -1.3, upper80: 1.2, lower95: -2.0, upper95: 1.9 });
    // keeps the order of the bounds
    for (const x of q) {
      expect(x.lower95).toBeLessThanOrEqual(x.lower80);
      expect(x.upper80).toBeLessThanOrEqual(x.upper95);
    }
  });

  it('is what the walk-forward issues: no band of a naive forecast narrows at a longer horizon', async () => {
    const closes = validateHistory(
      randomWalkBars({ days: 900, seed: 8, volatility: (d) => (d % 200 < 100 ? 0.02 : 0.05) }),
    );
    // equal score weights: their interpolated per-horizon quantiles are jagged on this series
    const { calibrator } = await walkForward(createNaiveModel(), closes, {
      start: 30,
      scoreFrom: closes.length,
      scoreTo: closes.length - 1,
      horizons: [],
      maxHorizon: 30,
      calibration: { halfLife: null },
    });
    expect(calibrator.bands).toBe('monotone');
    let lifted = 0;
    for (const end of [400, 550, 700, 899]) {
      const scales = horizonScales(closes, 30, end);
      const raw = Array.from({ length: 30 }, (_, i) => calibrator.quantiles(i + 1));
      const issued = calibrator.bandQuantiles(scales);
      for (let h = 1; h < 30; h++) {
        const s0 = scales[h - 1] as number;
        const s1 = scales[h] as number;
        const a = issued[h - 1] as HorizonQuantiles;
        const b = issued[h] as HorizonQuantiles;
        expect(b.lower95 * s1).toBeLessThanOrEqual(a.lower95 * s0 + 1e-15);
        expect(b.upper95 * s1).toBeGreaterThanOrEqual(a.upper95 * s0 - 1e-15);
        expect(b.lower80 * s1).toBeLessThanOrEqual(a.lower80 * s0 + 1e-15);
        expect(b.upper80 * s1).toBeGreaterThanOrEqual(a.upper80 * s0 - 1e-15);
        if ((raw[h] as HorizonQuantiles).upper95 * s1 < (raw[h - 1] as HorizonQuantiles).upper95 * s0)
          lifted++;
      }
    }
    // the independent per-horizon quantiles really were jagged somewhere, so the property is not vacuous
    expect(lifted).toBeGreaterThan(0);
  });

  it('is recorded in the calibration JSON and served the way it was calibrated', () => {
    const monotone = new AdaptiveConformal(3);
    const perHorizon = new AdaptiveConformal(3, 0.005, { bands: 'per-horizon' });
    expect(monotone.toJson().bands).toBe('monotone');
    expect(perHorizon.toJson().bands).toBe('per-horizon');
    const stored: CalibrationJson = {
      ...perHorizon.toJson(),
      horizons: Object.fromEntries(
        jagged.map((q, i) => [String(i + 1), { ...q, alpha80: 0.2, alpha95: 0.05 }]),
      ),
    };
    const scales = [0.05, 0.05, 0.05];
    expect(storedBandQuantiles(stored, scales)).toEqual(jagged);
    expect(storedBandQuantiles({ ...stored, bands: 'monotone' }, scales)).toEqual(
      monotoneQuantiles(jagged, scales),
    );
  });
});

/** The upper weighted conformal quantile with explicit weights; `weights[i]` belongs to `sorted[i]`. */
function weightedQuantileSorted(sorted: readonly number[], weights: readonly number[], p: number): number {
  const total = weights.reduce((sum, w) => sum + w, 0);
  return upperWeightedQuantile(sorted, (i) => weights[i] as number, total, p);
}

describe('weighted (non-exchangeable) conformal quantiles', () => {
  it('upperWeightedQuantile: the smallest score whose weight reaches p · (Σw + 1), hand-computed', () => {
    // equal weights, Σw = 4: p = 0.5 needs 2.5 → 3; p = 0.8 needs 4 → 4; p = 0.9 would need the +∞ mass → 4
    expect(weightedQuantileSorted([1, 2, 3, 4], [1, 1, 1, 1], 0.5)).toBe(3);
    expect(weightedQuantileSorted([1, 2, 3, 4], [1, 1, 1, 1], 0.8)).toBe(4);
    expect(weightedQuantileSorted([1, 2, 3, 4], [1, 1, 1, 1], 0.9)).toBe(4);
    // Σw = 1.75: p = 0.2 needs 0.55 → cumulative 0.5 at 1, 0.75 at 2 → 2; p = 0.5 needs 1.375 → 3
    expect(weightedQuantileSorted([1, 2, 3], [0.5, 0.25, 1], 0.2)).toBe(2);
    expect(weightedQuantileSorted([1, 2, 3], [0.5, 0.25, 1], 0.5)).toBe(3);
  });

  it('weighs a score k outcomes old 2^(−k / half-life), as weightedQuantileSorted does', () => {
    const halfLife = 10;
    const c = new AdaptiveConformal(1, 0, { halfLife, bands: 'per-horizon' });
    const scores = Array.from({ length: 60 }, (_, i) => ((i * 37) % 60) / 20 - 1.5 + i / 40);
    for (const s of scores) c.observe(1, s, true, true);
    const order = scores
      .map((s, i) => ({ v: Math.abs(s), age: scores.length - i }))
      .sort((a, b) => a.v - b.v);
    const sorted = order.map((x) => x.v);
    const weights = order.map((x) => 2 ** (-x.age / halfLife));
    const q = c.quantiles(1);
    expect(q.upper80).toBe(weightedQuantileSorted(sorted, weights, 0.8));
    expect(q.upper95).toBe(
      Math.max(weightedQuantileSorted(sorted, weights, 0.95), (q.upper80 * 1.959964) / 1.281552),
    );
    expect(c.toJson().halfLife).toBe(halfLife);
  });

  it('signed scores: the lower bound mirrors the upper one (weighted quantile of the negated scores)', () => {
    const scores = Array.from({ length: 80 }, (_, i) => Math.sin(i * 1.7) * (1 + i / 80));
    const a = new AdaptiveConformal(1, 0, { halfLife: 25, sides: 'signed', bands: 'per-horizon' });
    const b = new AdaptiveConformal(1, 0, { halfLife: 25, sides: 'signed', bands: 'per-horizon' });
    for (const s of scores) {
      a.observe(1, s, true, true);
      b.observe(1, -s, true, true);
    }
    expect(a.quantiles(1).lower80).toBe(-b.quantiles(1).upper80);
    expect(a.quantiles(1).lower95).toBe(-b.quantiles(1).upper95);
  });

  it('follows the recent scores after a regime change, where equal weights keep the old wide ones', () => {
    const feed = (c: AdaptiveConformal) => {
      for (let i = 0; i < 300; i++) c.observe(1, ((i * 37) % 300) / 50 - 3, true, true);
      for (let i = 0; i < 400; i++) c.observe(1, ((i * 53) % 400) / 200 - 1, true, true);
    };
    const equal = new AdaptiveConformal(1, 0, { halfLife: null });
    const weighted = new AdaptiveConformal(1, 0, { halfLife: 50 });
    feed(equal);
    feed(weighted);
    expect(equal.quantiles(1).upper95).toBeGreaterThan(2);
    // the last 400 scores lie in [−1, 1): their 95% quantile of |s|, floored by the normal tail ratio
    expect(weighted.quantiles(1).upper95).toBeLessThan(1.55);
    expect(weighted.quantiles(1).upper80).toBeLessThan(1);
    expect(equal.toJson().halfLife).toBeNull();
  });
});
