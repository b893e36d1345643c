import { describe, expect, it } from 'vitest';
import type { CalibrationJson } from './calibration-types.ts';
import { AdaptiveConformal } from './conformal.ts';
import {
  advanceCalibration,
  baselineCalibration,
  type LiveOutcome,
  normalQuantile,
  quantilesAt,
} from './live-calibration.ts';
import { storedQuantiles } from './stored-bands.ts';

const shipped: CalibrationJson = {
  ...baselineCalibration(3),
  horizons: {
    '1': { lower80: -1.1, upper80: 1.3, lower95: -2.2, upper95: 2.3, alpha80: 0.18, alpha95: 0.05 },
    '2': { lower80: -1.2, upper80: 1.4, lower95: -2.1, upper95: 2.4, alpha80: 0.2, alpha95: 0.06 },
    '3': { lower80: -1.0, upper80: 1.2, lower95: -2.0, upper95: 2.2, alpha80: 0.2, alpha95: 0.05 },
  },
};
const width = (c: CalibrationJson, h: number) => {
  const q = storedQuantiles(c, h);
  return { w80: q.upper80 - q.lower80, w95: q.upper95 - q.lower95 };
};
const run = (n: number, covered: boolean): LiveOutcome[] =>
  Array.from({ length: n }, (_, i) => ({ horizon: (i % 3) + 1, covered80: covered, covered95: covered }));

describe('live recalibration (online ACI)', () => {
  it('reproduces the shipped bands when nothing has been observed', () => {
    const same = advanceCalibration({ shipped, maxHorizon: 3, outcomes: [] });
    for (const h of [1, 2, 3]) {
      const q = storedQuantiles(same, h);
      const s = storedQuantiles(shipped, h);
      for (const key of ['lower80', 'upper80', 'lower95', 'upper95'] as const) {
        expect(q[key]).toBeCloseTo(s[key], 9);
      }
    }
  });

  it('widens every band after a run of misses and narrows it after a run of hits', () => {
    const missed = advanceCalibration({ shipped, maxHorizon: 3, outcomes: run(30, false) });
    const hit = advanceCalibration({ shipped, maxHorizon: 3, outcomes: run(30, true) });
    for (const h of [1, 2, 3]) {
      expect(width(missed, h).w80).toBeGreaterThan(width(shipped, h).w80);
      expect(width(missed, h).w95).toBeGreaterThan(width(shipped, h).w95);
      expect(width(hit, h).w80).toBeLessThan(width(shipped, h).w80);
      expect(width(hit, h).w95).toBeLessThan(width(shipped, h).w95);
    }
    // moving on from a version continues where it stopped
    const back = advanceCalibration({ shipped, current: missed, maxHorizon: 3, outcomes: run(30, true) });
    expect(width(back, 1).w80).toBeLessThan(width(missed, 1).w80);
  });

  it('moves α exactly as the backtest calibrator does for the same outcomes and step', () => {
    const start = { ...baselineCalibration(3), gamma: 0.005 };
    const outcomes = run(60, false).map((o, i) => ({ ...o, covered80: i % 4 !== 0, covered95: i % 9 !== 0 }));
    const live = advanceCalibration({ shipped: start, maxHorizon: 3, outcomes });
    const backtest = new AdaptiveConformal(3, 0.005);
    for (const o of outcomes) backtest.observe(o.horizon, 0, o.covered80, o.covered95);
    const json = backtest.toJson();
    for (const h of ['1', '2', '3']) {
      expect(live.horizons[h]?.alpha80).toBe(json.horizons[h]?.alpha80);
      expect(live.horizons[h]?.alpha95).toBe(json.horizons[h]?.alpha95);
    }
  });

  it('takes the band method from the shipped metadata, not from the version it moves on from', () => {
    const method = {
      ...shipped,
      ewmaScaleWeight: 0.5,
      halfLife: 730,
      blend: { garchT: 0.125, ewmaNormal: 0.125 },
    };
    // a version made before the shipped metadata gained those fields
    const before = advanceCalibration({ shipped, maxHorizon: 3, outcomes: run(12, false) });
    const next = advanceCalibration({
      shipped: method,
      current: before,
      maxHorizon: 3,
      outcomes: run(3, true),
    });
    expect(next.blend).toEqual(method.blend);
    expect(next.ewmaScaleWeight).toBe(0.5);
    expect(next.halfLife).toBe(730);
    // the α state still continues from the version
    expect(next.horizons['1']?.alpha80).toBe(
      advanceCalibration({ shipped, current: before, maxHorizon: 3, outcomes: run(3, true) }).horizons['1']
        ?.alpha80,
    );
  });

  it('reads normal bounds exactly off Gaussian anchors', () => {
    const anchors = { ...storedQuantiles(null, 1), alpha80: 0.2, alpha95: 0.05 };
    const q = quantilesAt(anchors, 0.1, 0.01);
    expect(q.upper80).toBeCloseTo(normalQuantile(0.95), 3);
    expect(q.upper95).toBeCloseTo(normalQuantile(0.995), 3);
    expect(q.lower95).toBeCloseTo(-normalQuantile(0.995), 3);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 6);
  });
});
