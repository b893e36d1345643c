import { walkForward } from '../backtest/walk-forward.ts';
import { type CalibrationJson, DEFAULT_CALIBRATION_WINDOW } from '../intervals/conformal.ts';
import type { PointModel } from '../models/point-model.ts';

/**
 * Conformal calibration at the end of a training range: walk forward over the origins whose outcomes are
 * inside the range — every one of them with the default expanding window, otherwise the last
 * `window` — and keep the calibrator's final state. For neural models most of these origins are inside
 * the span their weights were fitted on; their in-sample errors are no smaller than out-of-sample ones
 * (the networks barely beat persistence), and the out-of-sample backtest in docs/forecast-quality.md
 * checks the resulting coverage on unseen days.
 */
export async function calibrateAtEnd(
  model: PointModel,
  closes: Float64Array,
  window: number = DEFAULT_CALIBRATION_WINDOW,
): Promise<CalibrationJson> {
  const n = closes.length;
  const H = model.maxHorizon;
  const start = Math.max(model.minHistory - 1, n - 1 - H - (window - 1));
  const { calibrator } = await walkForward(model, closes, {
    start,
    scoreFrom: n,
    scoreTo: n - 1,
    horizons: [],
    maxHorizon: H,
    calibrationWindow: window,
  });
  return calibrator.toJson();
}
