import { describe, expect, it } from 'vitest';
import {
  christoffersenPValue,
  coverageWithCi,
  kupiecPValue,
  neweyWestLags,
  neweyWestVariance,
} from './coverage-tests.ts';

describe('Newey–West coverage interval', () => {
  it('computes the long-run variance by hand on a short series', () => {
    // mean 0.75, deviations .25 −.75 .25 .25: γ0 = 0.75 / 4, γ1 = −0.3125 / 4, Bartlett weight ½
    expect(neweyWestVariance([1, 0, 1, 1], 0)).toBeCloseTo(0.1875, 15);
    expect(neweyWestVariance([1, 0, 1, 1], 1)).toBeCloseTo(0.1875 - 0.078125, 15);
  });

  it('uses at least h − 1 lags, so the overlap of h-day outcomes is inside the kernel', () => {
    expect(neweyWestLags(100, 1)).toBe(4);
    expect(neweyWestLags(2646, 1)).toBe(8);
    expect(neweyWestLags(2617, 30)).toBe(29);
  });

  it('is coverage ± 1.96 standard errors, clipped to [0, 1]', () => {
    // n = 4, h = 1: ⌊4 · 0.04^(2/9)⌋ = 1 lag → variance 0.109375
    const { coverage, ci } = coverageWithCi([1, 0, 1, 1], 1);
    const se = Math.sqrt(0.109375 / 4);
    expect(coverage).toBe(0.75);
    expect(ci[0]).toBeCloseTo(0.75 - 1.96 * se, 12);
    expect(ci[1]).toBe(1);
  });

  it('widens when hits come in runs (as overlapping outcomes do) compared with alternating ones', () => {
    const runs = Array.from({ length: 400 }, (_, i) => (Math.floor(i / 20) % 5 === 0 ? 0 : 1));
    const spread = Array.from({ length: 400 }, (_, i) => (i % 5 === 0 ? 0 : 1));
    const a = coverageWithCi(runs, 30);
    const b = coverageWithCi(spread, 30);
    expect(a.coverage).toBe(0.8);
    expect(b.coverage).toBe(0.8);
    expect(a.ci[1] - a.ci[0]).toBeGreaterThan(2 * (b.ci[1] - b.ci[0]));
  });
});

describe('Kupiec proportion-of-failures test', () => {
  it('matches the hand-computed likelihood ratio', () => {
    // 10 misses in 100 at nominal 20%: LR = −2[90 ln .8 + 10 ln .2 − 90 ln .9 − 10 ln .1] = 7.33800, χ²(1)
    const misses = Array.from({ length: 100 }, (_, i) => i % 10 === 0);
    expect(kupiecPValue(misses, 0.2)).toBeCloseTo(0.0067512, 5);
  });

  it('is 1 at exactly the nominal miss rate and handles no misses at all', () => {
    expect(
      kupiecPValue(
        Array.from({ length: 100 }, (_, i) => i % 5 === 0),
        0.2,
      ),
    ).toBeCloseTo(1, 12);
    // zero misses in 100 at 5%: LR = −2 · 100 ln .95 = 10.259
    expect(kupiecPValue(new Array<boolean>(100).fill(false), 0.05)).toBeCloseTo(0.0013604, 5);
  });
});

describe('Christoffersen independence test', () => {
  it('matches the hand-computed likelihood ratio of the transition counts', () => {
    // transitions n00 = 3, n01 = 2, n10 = 2, n11 = 2 → LR = 0.090014, p = 0.76416
    const misses = [false, false, true, true, false, false, false, true, true, false];
    expect(christoffersenPValue(misses)).toBeCloseTo(0.764159, 5);
  });

  it('rejects misses that always come in pairs', () => {
    const clustered = Array.from({ length: 200 }, (_, i) => i % 10 < 2);
    expect(christoffersenPValue(clustered)).toBeLessThan(0.001);
  });
});
