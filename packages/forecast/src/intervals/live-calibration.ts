import type { CalibrationJson, HorizonQuantiles } from './calibration-types.ts';
import { aciStep } from './conformal.ts';
import { storedQuantiles } from './stored-bands.ts';

/**
 * Live recalibration: the served forecasts' outcomes move a model's calibration forward with the same ACI
 * update as the backtest (aciStep, per horizon), starting from the shipped calibration.
 *
 * The step: the model's own γ when it ships one above 0, else LIVE_ACI_GAMMA. The shipped models use γ = 0
 * (plain split-conformal), chosen on interval score over fixed validation years; live, the point is to
 * follow a drift the training scores could not see (BTC's 30-day 80 % band held 72.9 % of the outcomes
 * after the shipped data), which needs a step above 0. 0.0025 is the smallest step of the backtest's grid
 * that left no coverage cell off target on the validation years (docs/forecast-quality.md).
 *
 * The shipped metadata keeps the quantiles at its final α levels, not the scores behind them, so a moved
 * α cannot be looked up in the score distribution again. Each bound is instead read off the line through
 * its two shipped anchors (the 80 % and the 95 % bound) on the normal-quantile scale z(1 − α/2): exact for
 * a location-scale normal, and for a skewed or heavy-tailed score distribution it still moves every bound
 * monotonically with α and reproduces the shipped bands at the shipped α.
 */

/** One scored forecast point: how many days ahead it was, and whether its issued bands held the actual. */
export const LIVE_ACI_GAMMA = 0.0025;

export interface LiveOutcome {
  horizon: number;
  covered80: boolean;
  covered95: boolean;
}

const GAUSSIAN_ANCHORS = {
  lower80: -1.2816,
  upper80: 1.2816,
  lower95: -1.96,
  upper95: 1.96,
  alpha80: 0.2,
  alpha95: 0.05,
};

/** The calibration a model without shipped metadata (the built-in baselines) is served with. */
export function baselineCalibration(maxHorizon: number): CalibrationJson {
  const horizons: CalibrationJson['horizons'] = {};
  for (let h = 1; h <= maxHorizon; h++) horizons[String(h)] = { ...GAUSSIAN_ANCHORS };
  return {
    method: 'split-conformal+aci',
    score: 'log-error / horizon-scale (ewma vol reverting to 365-day vol)',
    sides: 'signed',
    window: null,
    gamma: 0,
    samples: 0,
    horizons,
    bands: 'per-horizon',
    halfLife: null,
    blend: null,
  };
}

/**
 * Folds `outcomes` (in the order they became known) into `current` and returns the next calibration.
 * `shipped` gives the anchors the quantiles are read from (and the model's γ); `current` defaults to it.
 */
export function advanceCalibration(args: {
  shipped: CalibrationJson | null;
  current?: CalibrationJson | null;
  maxHorizon: number;
  outcomes: readonly LiveOutcome[];
}): CalibrationJson {
  const shipped = args.shipped ?? baselineCalibration(args.maxHorizon);
  const current = args.current ?? shipped;
  const gamma = shipped.gamma > 0 ? shipped.gamma : LIVE_ACI_GAMMA;
  const alphas = new Map<number, { alpha80: number; alpha95: number }>();
  for (let h = 1; h <= args.maxHorizon; h++) {
    const state = current.horizons[String(h)] ?? shipped.horizons[String(h)] ?? GAUSSIAN_ANCHORS;
    alphas.set(h, { alpha80: state.alpha80, alpha95: state.alpha95 });
  }
  for (const outcome of args.outcomes) {
    const state = alphas.get(outcome.horizon);
    if (!state) continue; // beyond the model's horizon: nothing to calibrate
    state.alpha80 = aciStep(state.alpha80, gamma, 0.8, outcome.covered80);
    state.alpha95 = aciStep(state.alpha95, gamma, 0.95, outcome.covered95);
  }
  const horizons: CalibrationJson['horizons'] = {};
  for (const [h, state] of alphas) {
    const anchors = shipped.horizons[String(h)] ?? GAUSSIAN_ANCHORS;
    horizons[String(h)] = { ...quantilesAt(anchors, state.alpha80, state.alpha95), ...state };
  }
  // The band method (scale, GARCH parameters, mixing weight, blend, shape) is the shipped metadata's: a
  // version made before the models were recalibrated keeps only its α state, read off the current anchors.
  return { ...shipped, gamma, horizons };
}

/**
 * The calibration to serve for a live version: the shipped method and anchors at the version's α levels
 * (advanceCalibration with no new outcomes). Identical to the version when it was made from the same
 * shipped metadata; after the shipped models are recalibrated it keeps their new method instead of the one
 * the version was made with.
 */
export function servedCalibration(
  shipped: CalibrationJson | null,
  live: CalibrationJson,
  maxHorizon: number,
): CalibrationJson {
  return advanceCalibration({ shipped, current: live, maxHorizon, outcomes: [] });
}

/** The bounds at levels α80 and α95, on the line through the shipped anchors (see the header). */
export function quantilesAt(
  anchors: HorizonQuantiles & { alpha80: number; alpha95: number },
  alpha80: number,
  alpha95: number,
): HorizonQuantiles {
  const z80 = normalQuantile(1 - anchors.alpha80 / 2);
  const z95 = normalQuantile(1 - anchors.alpha95 / 2);
  const at = (bound80: number, bound95: number, alpha: number) => {
    const z = normalQuantile(1 - alpha / 2);
    const slope = (bound95 - bound80) / (z95 - z80);
    // Anchors that do not widen outwards (never in shipped metadata) fall back to scaling the 80 % bound.
    const outward = Math.sign(bound80 || bound95) * slope > 0 && Math.abs(z95 - z80) > 1e-9;
    return outward ? bound80 + (z - z80) * slope : (bound80 * z) / z80;
  };
  return {
    lower80: at(anchors.lower80, anchors.lower95, alpha80),
    upper80: at(anchors.upper80, anchors.upper95, alpha80),
    lower95: at(anchors.lower80, anchors.lower95, alpha95),
    upper95: at(anchors.upper80, anchors.upper95, alpha95),
  };
}

/** Mean width of the 80 % and 95 % quantile bands over horizons 1..H (in score units). */
export function meanBandWidth(calibration: CalibrationJson | null, maxHorizon: number) {
  let w80 = 0;
  let w95 = 0;
  for (let h = 1; h <= maxHorizon; h++) {
    const q = storedQuantiles(calibration, h);
    w80 += q.upper80 - q.lower80;
    w95 += q.upper95 - q.lower95;
  }
  return { width80: w80 / maxHorizon, width95: w95 / maxHorizon };
}

/** Inverse of the standard normal CDF (Acklam's rational approximation, relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile needs 0 < p < 1, got ${p}`);
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  const poly = (k: number[], x: number) => k.reduce((sum, coefficient) => sum * x + coefficient, 0);
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return poly(c, q) / (poly(d, q) * q + 1);
  }
  if (p > 1 - low) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -poly(c, q) / (poly(d, q) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return (poly(a, r) * q) / (poly(b, r) * r + 1);
}
