import { describe, expect, it } from 'vitest';
import { validateHistory } from '../data/validate-history.ts';
import { logReturns } from '../neural/features.ts';
import { studentTQuantile } from '../stats/special-functions.ts';
import { randomWalkBars } from '../test-support/generate-series.ts';
import { createEwmaNormalBands, createGarchTBands } from './anchor-bands.ts';
import { fitGarchT, horizonVariances, nextDayVariance } from './garch.ts';
import { ewmaVolatility } from './volatility.ts';

const closes = validateHistory(
  randomWalkBars({ days: 700, seed: 3, volatility: (d) => (d % 150 < 75 ? 0.02 : 0.05) }),
);

describe('ewma-normal anchor', () => {
  it('is ± z · σ_EWMA · √h around the last close, symmetric in log space', () => {
    const history = closes.subarray(0, 500);
    const bands = createEwmaNormalBands().bands(history, 9);
    const sigma = ewmaVolatility(history);
    expect(bands[0]?.upper80).toBeCloseTo(1.2815515655446004 * sigma, 12);
    expect(bands[0]?.lower95).toBeCloseTo(-1.959963984540054 * sigma, 12);
    // square-root-of-time: 9 days = 3 × one day
    expect(bands[8]?.upper95).toBeCloseTo(3 * (bands[0]?.upper95 as number), 12);
  });
});

describe('garch-t anchor', () => {
  it('uses the fitted t quantiles (unit variance) times the GARCH h-day volatility', () => {
    const history = closes.subarray(0, 500);
    const bands = createGarchTBands(30).bands(history, 5);
    const returns = logReturns(history);
    const p = fitGarchT(returns);
    const v = horizonVariances(p, nextDayVariance(returns, p), 5);
    const unit = Math.sqrt((p.nu - 2) / p.nu);
    expect(bands[4]?.upper95).toBeCloseTo(
      studentTQuantile(0.975, p.nu) * unit * Math.sqrt(v[4] as number),
      10,
    );
    expect(bands[0]?.lower80).toBeCloseTo(
      -studentTQuantile(0.9, p.nu) * unit * Math.sqrt(v[0] as number),
      10,
    );
  });

  it('refits only every K origins: between refits the parameters stay those of the last refit', () => {
    const anchor = createGarchTBands(30);
    anchor.bands(closes.subarray(0, 400), 1);
    const kept = anchor.bands(closes.subarray(0, 429), 1)[0]?.upper80 as number;
    // same as fixed parameters fitted on the first 400 closes, filtered through 429
    const p = fitGarchT(logReturns(closes.subarray(0, 400)));
    const r = logReturns(closes.subarray(0, 429));
    const unit = Math.sqrt((p.nu - 2) / p.nu);
    expect(kept).toBeCloseTo(studentTQuantile(0.9, p.nu) * unit * Math.sqrt(nextDayVariance(r, p)), 10);
    // at 430 closes (30 later) it refits on all of them
    const refit = anchor.bands(closes.subarray(0, 430), 1)[0]?.upper80 as number;
    const q = fitGarchT(logReturns(closes.subarray(0, 430)));
    const r2 = logReturns(closes.subarray(0, 430));
    expect(refit).toBeCloseTo(
      studentTQuantile(0.9, q.nu) * Math.sqrt((q.nu - 2) / q.nu) * Math.sqrt(nextDayVariance(r2, q)),
      10,
    );
  });
});
