import { logReturns } from '../neural/features.ts';
import type { CalibrationJson } from './conformal.ts';
import {
  fitGarchT,
  type GarchParams,
  horizonVariances,
  MIN_GARCH_RETURNS,
  nextDayVariance,
} from './garch.ts';
import { horizonScales } from './volatility.ts';

/**
 * The scale that divides conformal scores: √(expected variance of the h-day log return) at the origin.
 * 'ewma-365': EWMA variance reverting to the 365-day variance at a fixed daily persistence (horizonScales).
 * 'garch-t': the GARCH(1,1)-t term structure, parameters fitted on the history through the last refit.
 */
export const SCALE_METHODS = ['ewma-365', 'garch-t'] as const;
export type ScaleMethod = (typeof SCALE_METHODS)[number];
/**
 * Shipped: 'garch-t'. Chosen with absolute scores and no ACI on the validation years before 2019 (see
 * docs/forecast-quality.md): the fitted persistence follows long volatility spells that the fixed 0.97 of
 * ewma-365 lets decay too fast, at about the same interval score and closer coverage.
 */
export const DEFAULT_SCALE_METHOD: ScaleMethod = 'garch-t';

/**
 * Returns the GARCH variance is filtered over at an origin (σ² starts at their sample variance). A year is
 * ample (β^365 is negligible for any fitted β < 0.99) and keeps a forecast a function of its last 366
 * closes, which is what the serving cache keys on.
 */
export const GARCH_FILTER_RETURNS = 365;

/** Scales for h = 1..maxHorizon from the history (closes through the origin, nothing later). */
export type ScaleFunction = (history: Float64Array, maxHorizon: number) => Float64Array;

export const ewmaScales: ScaleFunction = (history, maxHorizon) => horizonScales(history, maxHorizon);

/** GARCH-t scales from fixed parameters (serving: the parameters stored at the end of training). */
export function garchScales(params: GarchParams, history: Float64Array, maxHorizon: number): Float64Array {
  const recent = history.subarray(Math.max(0, history.length - GARCH_FILTER_RETURNS - 1));
  const variances = horizonVariances(params, nextDayVariance(logReturns(recent), params), maxHorizon);
  return variances.map(Math.sqrt);
}

/**
 * GARCH-t scales in walk-forward: parameters refitted every `refitEvery` origins on the history so far;
 * until MIN_GARCH_RETURNS returns exist, the ewma-365 scales. Call with growing histories of one series.
 * Results are memoized by history length, so several models of one backtest share the fits.
 */
export function createWalkForwardGarchScales(refitEvery: number): ScaleFunction {
  let params: GarchParams | null = null;
  let fittedAt = 0;
  const memo = new Map<number, Float64Array>();
  return (history, maxHorizon) => {
    const key = history.length * 1000 + maxHorizon;
    const known = memo.get(key);
    if (known) return known;
    let scales: Float64Array;
    if (history.length <= MIN_GARCH_RETURNS) {
      scales = horizonScales(history, maxHorizon);
    } else {
      if (!params || history.length < fittedAt || history.length - fittedAt >= refitEvery) {
        params = fitGarchT(logReturns(history));
        fittedAt = history.length;
      }
      scales = garchScales(params, history, maxHorizon);
    }
    memo.set(key, scales);
    return scales;
  };
}

/**
 * Scales at serving time, the way the stored calibration was made: garch-t with its stored parameters, or
 * ewma-365 (also for older metadata and uncalibrated baselines).
 */
export function storedScales(
  calibration: CalibrationJson | null,
  closes: Float64Array,
  maxHorizon: number,
): Float64Array {
  if (calibration?.scale === 'garch-t' && calibration.garch && closes.length > 30) {
    return garchScales(calibration.garch, closes, maxHorizon);
  }
  return horizonScales(closes, maxHorizon);
}

/** The walk-forward scale function for a method (garch-t fits shared through the returned function). */
export function walkForwardScales(method: ScaleMethod, garchRefitEvery: number): ScaleFunction {
  return method === 'garch-t' ? createWalkForwardGarchScales(garchRefitEvery) : ewmaScales;
}
