import { logReturns } from '../neural/features.ts';
import {
  fitGarchT,
  type GarchParams,
  horizonVariances,
  MIN_GARCH_RETURNS,
  nextDayVariance,
} from './garch.ts';
import { ewmaVolatility, horizonScales } from './volatility.ts';

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

/** Scales of a walk-forward, and the GARCH parameters behind them at an origin (null: not GARCH). */
export interface WalkForwardScaleModel {
  scales: ScaleFunction;
  /** parameters used for the scales of this history (call scales first); null before the first fit */
  garch: (history: Float64Array) => GarchParams | null;
}

/**
 * GARCH-t scales in walk-forward: parameters refitted every `refitEvery` origins on the history so far;
 * until MIN_GARCH_RETURNS returns exist, the ewma-365 scales. Call with growing histories of one series.
 * Results are memoized by history length, so several models of one backtest share the fits.
 */
export function createWalkForwardGarchScales(refitEvery: number): WalkForwardScaleModel {
  let params: GarchParams | null = null;
  let fittedAt = 0;
  const memo = new Map<number, Float64Array>();
  const used = new Map<number, GarchParams | null>();
  const scales: ScaleFunction = (history, maxHorizon) => {
    const key = history.length * 1000 + maxHorizon;
    const known = memo.get(key);
    if (known) return known;
    let result: Float64Array;
    if (history.length <= MIN_GARCH_RETURNS) {
      result = horizonScales(history, maxHorizon);
      used.set(history.length, null);
    } else {
      if (!params || history.length < fittedAt || history.length - fittedAt >= refitEvery) {
        params = fitGarchT(logReturns(history));
        fittedAt = history.length;
      }
      result = garchScales(params, history, maxHorizon);
      used.set(history.length, params);
    }
    memo.set(key, result);
    return result;
  };
  return { scales, garch: (history) => used.get(history.length) ?? null };
}

/**
 * The walk-forward scales for a method (garch-t fits shared through the returned functions), optionally
 * mixed with the ewma-normal volatility (see mixEwmaScales).
 */
export function walkForwardScales(
  method: ScaleMethod,
  garchRefitEvery: number,
  ewmaWeight = DEFAULT_EWMA_SCALE_WEIGHT,
): WalkForwardScaleModel {
  const base: WalkForwardScaleModel =
    method === 'garch-t'
      ? createWalkForwardGarchScales(garchRefitEvery)
      : { scales: ewmaScales, garch: () => null };
  if (ewmaWeight === 0) return base;
  return {
    scales: (history, H) => mixEwmaScales(base.scales(history, H), history, ewmaWeight),
    garch: base.garch,
  };
}

/**
 * A scale that averages two volatility forecasts: (1 − w) · s_h + w · σ_EWMA · √h, where s_h is the
 * method's scale and σ_EWMA · √h the ewma-normal anchor's h-day volatility (RiskMetrics, no mean
 * reversion). Conformal scores divided by it recalibrate the averaged band.
 */
export function mixEwmaScales(scales: Float64Array, history: Float64Array, weight: number): Float64Array {
  if (weight === 0 || history.length <= 30) return scales;
  const sigma = ewmaVolatility(history);
  return scales.map((s, i) => (1 - weight) * s + weight * sigma * Math.sqrt(i + 1));
}

/**
 * Shipped weight of the ewma-normal volatility in the conformal scale (see mixEwmaScales): 0.5, an equal
 * average of the GARCH-t and EWMA h-day volatilities. Chosen on the validation years before 2019 with the
 * half-life DEFAULT_HALF_LIFE; docs/forecast-quality.md ("Evaluation v2") has the grid.
 */
export const DEFAULT_EWMA_SCALE_WEIGHT = 0.5;
