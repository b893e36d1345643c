import { walkForward } from '../backtest/walk-forward.ts';
import { GARCH_REFIT_EVERY } from '../intervals/anchor-bands.ts';
import type { CalibrationJson } from '../intervals/calibration-types.ts';
import { fitGarchT, MIN_GARCH_RETURNS } from '../intervals/garch.ts';
import {
  DEFAULT_EWMA_SCALE_WEIGHT,
  DEFAULT_SCALE_METHOD,
  type WalkForwardScaleModel,
  walkForwardScales,
} from '../intervals/scale-models.ts';
import type { PointModel } from '../models/point-model.ts';
import { logReturns } from '../neural/features.ts';

/**
 * Conformal calibration at the end of a training range: walk forward over the origins whose outcomes are
 * inside the range — every one of them (an expanding window) — and keep the calibrator's final state. For neural models most of these origins are inside
 * the span their weights were fitted on; their in-sample errors are no smaller than out-of-sample ones
 * (the networks barely beat persistence), and the out-of-sample backtest in docs/forecast-quality.md
 * checks the resulting coverage on unseen days.
 *
 * `scaleModel` lets several models of one series share the walk-forward scales (and their GARCH refits):
 * they are memoized by history length, so the result is the same as with a fresh one.
 */
export async function calibrateAtEnd(
  model: PointModel,
  closes: Float64Array,
  scaleModel: WalkForwardScaleModel = walkForwardScales(DEFAULT_SCALE_METHOD, GARCH_REFIT_EVERY),
): Promise<CalibrationJson> {
  const n = closes.length;
  const H = model.maxHorizon;
  const start = model.minHistory - 1;
  const { calibrator } = await walkForward(model, closes, {
    start,
    scoreFrom: n,
    scoreTo: n - 1,
    horizons: [],
    maxHorizon: H,
    scales: scaleModel.scales,
    garch: scaleModel.garch,
  });
  const json: CalibrationJson = {
    ...calibrator.toJson(),
    ...(DEFAULT_EWMA_SCALE_WEIGHT > 0 ? { ewmaScaleWeight: DEFAULT_EWMA_SCALE_WEIGHT } : {}),
  };
  const returns = logReturns(closes);
  if (DEFAULT_SCALE_METHOD !== 'garch-t' || returns.length < MIN_GARCH_RETURNS) return json;
  // served with parameters fitted on every training return, like the last refit of a walk-forward
  const { logLikelihood: _ll, ...garch } = fitGarchT(returns);
  const score =
    DEFAULT_EWMA_SCALE_WEIGHT > 0
      ? `|log error| / (${1 - DEFAULT_EWMA_SCALE_WEIGHT} · garch(1,1)-t h-day volatility + ${DEFAULT_EWMA_SCALE_WEIGHT} · ewma volatility · √h)`
      : '|log error| / h-day volatility of a garch(1,1)-t';
  return { ...json, score, scale: 'garch-t', garch };
}
