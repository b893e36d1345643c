import { walkForward } from '../backtest/walk-forward.ts';
import { type CalibrationJson, DEFAULT_CALIBRATION_WINDOW } from '../intervals/conformal.ts';
import type { PointModel } from '../models/point-model.ts';

/**
 * Conformal calibration at the end of a training range: walk forward over the last
 * DEFAULT_CALIBRATION_WINDOW origins whose outcomes are inside the range (for neural models exactly their
 * validation split, which they were not fitted on) and keep the calibrator's final state.
 */
export async function calibrateAtEnd(model: PointModel, closes: Float64Array): Promise<CalibrationJson> {
  const n = closes.length;
  const H = model.maxHorizon;
  const start = Math.max(model.minHistory - 1, n - 1 - H - (DEFAULT_CALIBRATION_WINDOW - 1));
  const { calibrator } = await walkForward(model, closes, {
    start,
    scoreFrom: n,
    scoreTo: n - 1,
    horizons: [],
    maxHorizon: H,
  });
  return calibrator.toJson();
}
