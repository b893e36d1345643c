import { describe, expect, it } from 'vitest';
import { validateHistory } from '../data/validate-history.ts';
import { randomWalkBars } from '../test-support/generate-series.ts';
import { ewmaVolatility, horizonScales } from './volatility.ts';

describe('volatility', () => {
  it('EWMA volatility recovers the simulated daily volatility', () => {
    const closes = validateHistory(randomWalkBars({ days: 400, seed: 2, volatility: 0.04 }));
    expect(ewmaVolatility(closes)).toBeGreaterThan(0.025);
    expect(ewmaVolatility(closes)).toBeLessThan(0.055);
  });

  it('uses only closes up to `end`', () => {
    const closes = validateHistory(randomWalkBars({ days: 400, seed: 2 }));
    const changed = Float64Array.from(closes);
    changed[399] = (changed[399] as number) * 3;
    expect(ewmaVolatility(changed, 398)).toBe(ewmaVolatility(closes, 398));
    expect(Array.from(horizonScales(changed, 30, 398))).toEqual(Array.from(horizonScales(closes, 30, 398)));
  });

  it('long-horizon scales revert from a calm month toward the yearly volatility', () => {
    const closes = validateHistory(
      randomWalkBars({ days: 400, seed: 3, volatility: (d) => (d < 370 ? 0.05 : 0.01) }),
    );
    const scales = horizonScales(closes, 30);
    const shortVol = ewmaVolatility(closes);
    expect(scales[0]).toBeCloseTo(shortVol, 10);
    // average daily vol over the next 30 days is expected above today's calm reading
    expect((scales[29] as number) / Math.sqrt(30)).toBeGreaterThan(shortVol * 1.5);
  });
});
