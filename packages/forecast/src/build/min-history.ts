import { MIN_GARCH_RETURNS } from '../intervals/garch.ts';
import { DEFAULT_MAX_HORIZON } from '../models/point-model.ts';

/**
 * Days scored by a symbol's recorded backtest: the last year of its history, as for the shipped symbols
 * (README "Retraining the shipped models": trained through the day before, scored on the following year).
 */
export const BUILD_BACKTEST_DAYS = 365;

/** Horizons of the recorded backtest and of the default rule (`pnpm backtest`'s default, as shipped). */
export const BUILD_BACKTEST_HORIZONS: readonly number[] = [1, 7, 30];

/**
 * Scores per horizon the conformal calibrator needs before it leaves its Gaussian fallback (MIN_SCORES in
 * intervals/conformal.ts, which does not export it).
 */
const CALIBRATOR_MIN_SCORES = 20;

/**
 * Days of history before the backtest's first scored day: the training range of the models the backtest
 * scores. The shipped band method divides the conformal scores by GARCH-t scales, and a GARCH fit needs
 * MIN_GARCH_RETURNS returns, so the first GARCH-scaled forecast is made on day MIN_GARCH_RETURNS + 1 (251).
 * Its 30-day outcome (the longest horizon) is known 30 days later, and the calibrator needs
 * CALIBRATOR_MIN_SCORES such outcomes at that horizon: the last of 20 consecutive origins is known on day
 * 251 + 19 + 30 = 300. With fewer days the backtest would open with 30-day bands calibrated on fewer than
 * 20 GARCH-scaled outcomes, or on none.
 */
export const MIN_TRAINING_DAYS = MIN_GARCH_RETURNS + 1 + (CALIBRATOR_MIN_SCORES - 1) + DEFAULT_MAX_HORIZON;

/**
 * The fewest consecutive daily closes a symbol needs before its models are built: MIN_TRAINING_DAYS (300)
 * for a walk-forward calibration on the shipped band method at the longest horizon, then
 * BUILD_BACKTEST_DAYS (365) scored out of sample for the recorded backtest and the default rule: 665.
 * The served models are calibrated on the whole history, so they always have more than the backtested ones.
 */
export const MIN_BUILD_HISTORY = MIN_TRAINING_DAYS + BUILD_BACKTEST_DAYS;
