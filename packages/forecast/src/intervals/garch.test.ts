import { describe, expect, it } from 'vitest';
import { studentTQuantile } from '../stats/special-functions.ts';
import { simulateGarchT } from '../test-support/garch-simulation.ts';
import { fitGarchT, garchLogLikelihood, horizonVariances, nextDayVariance } from './garch.ts';

const TRUE = { omega: 2e-5, alpha: 0.1, beta: 0.85, nu: 5 };

describe('GARCH(1,1)-t maximum likelihood', () => {
  const returns = simulateGarchT(TRUE, 20_000, 7);
  const fit = fitGarchT(returns);

  it('recovers ω, α, β and ν from a long simulated series', () => {
    expect(fit.alpha).toBeGreaterThan(0.08);
    expect(fit.alpha).toBeLessThan(0.12);
    expect(fit.beta).toBeGreaterThan(0.82);
    expect(fit.beta).toBeLessThan(0.88);
    expect(fit.nu).toBeGreaterThan(4.3);
    expect(fit.nu).toBeLessThan(5.9);
    expect(fit.omega / TRUE.omega).toBeGreaterThan(0.7);
    expect(fit.omega / TRUE.omega).toBeLessThan(1.4);
  });

  it('finds a likelihood at least as high as the true parameters', () => {
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(garchLogLikelihood(returns, TRUE) - 1e-6);
  });

  it('covers at the nominal rate on the simulated series, at 1 and 10 days', () => {
    // fitted on the first half, then one-day and ten-day bands at every origin of the second half
    const fitted = fitGarchT(returns.subarray(0, 10_000));
    const unit = Math.sqrt((fitted.nu - 2) / fitted.nu);
    const z80 = studentTQuantile(0.9, fitted.nu) * unit;
    const z95 = studentTQuantile(0.975, fitted.nu) * unit;
    for (const h of [1, 10]) {
      let in80 = 0;
      let in95 = 0;
      let n = 0;
      for (let t = 10_000; t + h <= returns.length; t += h) {
        const v = horizonVariances(fitted, nextDayVariance(returns.subarray(0, t), fitted), h)[
          h - 1
        ] as number;
        let sum = 0;
        for (let k = t; k < t + h; k++) sum += returns[k] as number;
        if (Math.abs(sum) <= z80 * Math.sqrt(v)) in80++;
        if (Math.abs(sum) <= z95 * Math.sqrt(v)) in95++;
        n++;
      }
      // non-overlapping outcomes: 10,000 (h = 1) and 1,000 (h = 10) independent draws
      const tol = h === 1 ? 0.015 : 0.035;
      expect(Math.abs(in80 / n - 0.8)).toBeLessThan(tol);
      expect(Math.abs(in95 / n - 0.95)).toBeLessThan(tol * 0.6);
    }
  });
});

describe('GARCH term structure', () => {
  it('reverts the expected daily variance to ω / (1 − α − β) at rate α + β', () => {
    const p = { omega: 1e-5, alpha: 0.1, beta: 0.8, nu: 6 };
    const longRun = 1e-5 / 0.1;
    const v = horizonVariances(p, 3 * longRun, 3);
    // day 1: σ²_{T+1}; day 2: σ̄² + 0.9 · 2σ̄²; day 3: σ̄² + 0.81 · 2σ̄²
    expect(v[0]).toBeCloseTo(3 * longRun, 15);
    expect(v[1]).toBeCloseTo(3 * longRun + longRun * (1 + 1.8), 15);
    expect(v[2]).toBeCloseTo(3 * longRun + longRun * (1 + 1.8) + longRun * (1 + 1.62), 15);
  });
});
