import { logReturns } from '../neural/features.ts';
import { studentTQuantile } from '../stats/special-functions.ts';
import type { HorizonQuantiles } from './calibration-types.ts';
import {
  fitGarchT,
  type GarchParams,
  horizonVariances,
  MIN_GARCH_RETURNS,
  nextDayVariance,
} from './garch.ts';
import { ewmaVolatility } from './volatility.ts';

/**
 * Anchor band models: standard volatility models the shipped conformal bands are measured against. Both
 * centre on persistence (the last close) and give each horizon's band as log distances from it.
 */
export const ANCHOR_NAMES = ['ewma-normal', 'garch-t'] as const;
export type AnchorName = (typeof ANCHOR_NAMES)[number];

export interface BandForecaster {
  readonly name: AnchorName;
  /** closes needed before the first band */
  readonly minHistory: number;
  /**
   * Bands for h = 1..maxHorizon from closes[0..end] only (history ends at the origin), as log offsets
   * from the last close. Call at origins in increasing order: garch-t refits as history grows.
   */
  bands(history: Float64Array, maxHorizon: number): HorizonQuantiles[];
}

/** z(0.90) and z(0.975) of the standard normal. */
const Z80 = 1.2815515655446004;
const Z95 = 1.959963984540054;

function symmetric(q80: number, q95: number, scale: number): HorizonQuantiles {
  return { lower80: -q80 * scale, upper80: q80 * scale, lower95: -q95 * scale, upper95: q95 * scale };
}

/**
 * RiskMetrics: EWMA daily variance (λ = EWMA_LAMBDA = 0.94, the same ewmaVolatility the conformal scale uses), Gaussian log returns, and the
 * h-day volatility σ√h (the square-root-of-time rule, no mean reversion).
 */
export function createEwmaNormalBands(): BandForecaster {
  return {
    name: 'ewma-normal',
    minHistory: 31,
    bands(history, maxHorizon) {
      const sigma = ewmaVolatility(history);
      return Array.from({ length: maxHorizon }, (_, i) => symmetric(Z80, Z95, sigma * Math.sqrt(i + 1)));
    },
  };
}

/** Default refit interval of garch-t in walk-forward (origins); see docs/forecast-quality.md. */
export const GARCH_REFIT_EVERY = 30;

/**
 * GARCH(1,1)-t: parameters fitted by maximum likelihood on every return up to the refit origin (the
 * training window, nothing later), refitted every `refitEvery` origins; at every origin the conditional
 * variance is filtered through the origin with the current parameters, the h-day variance follows the GARCH
 * recursion, and the band quantiles are the fitted t's (scaled to unit variance) times its square root.
 */
export function createGarchTBands(refitEvery = GARCH_REFIT_EVERY): BandForecaster {
  let params: GarchParams | null = null;
  let fittedAt = 0;
  let q80 = 0;
  let q95 = 0;
  return {
    name: 'garch-t',
    minHistory: MIN_GARCH_RETURNS + 1,
    bands(history, maxHorizon) {
      const returns = logReturns(history);
      if (!params || history.length < fittedAt || history.length - fittedAt >= refitEvery) {
        params = fitGarchT(returns);
        fittedAt = history.length;
        const unit = Math.sqrt((params.nu - 2) / params.nu);
        q80 = studentTQuantile(0.9, params.nu) * unit;
        q95 = studentTQuantile(0.975, params.nu) * unit;
      }
      const variances = horizonVariances(params, nextDayVariance(returns, params), maxHorizon);
      return Array.from(variances, (v) => symmetric(q80, q95, Math.sqrt(v)));
    },
  };
}

export function createAnchorBands(
  name: AnchorName,
  options: { garchRefitEvery?: number } = {},
): BandForecaster {
  return name === 'ewma-normal' ? createEwmaNormalBands() : createGarchTBands(options.garchRefitEvery);
}
