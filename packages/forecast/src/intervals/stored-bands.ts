import type { CalibrationJson, HorizonQuantiles } from './calibration-types.ts';
import { type BandComponents, blendQuantiles } from './combination.ts';
import { GAUSSIAN_QUANTILES, monotoneQuantiles } from './quantiles.ts';
import { garchScales, mixEwmaScales } from './scale-models.ts';
import { horizonScales } from './volatility.ts';

// Serving a stored calibration: the scales, quantiles and price bounds of a forecast, made the way the
// calibration was (the serving twin of the walk-forward's AdaptiveConformal, conformal.ts).

/**
 * Scales at serving time, the way the stored calibration was made: garch-t with its stored parameters, or
 * ewma-365 (uncalibrated baselines, too short a history).
 */
export function storedScales(
  calibration: CalibrationJson | null,
  closes: Float64Array,
  maxHorizon: number,
): Float64Array {
  const base =
    calibration?.scale === 'garch-t' && calibration.garch && closes.length > 30
      ? garchScales(calibration.garch, closes, maxHorizon)
      : horizonScales(closes, maxHorizon);
  return calibration?.ewmaScaleWeight ? mixEwmaScales(base, closes, calibration.ewmaScaleWeight) : base;
}

/** Quantiles stored in metadata for horizon h, or Gaussian ones if the model was never calibrated. */
export function storedQuantiles(calibration: CalibrationJson | null, h: number): HorizonQuantiles {
  const q = calibration?.horizons[String(h)];
  return q
    ? { lower80: q.lower80, upper80: q.upper80, lower95: q.lower95, upper95: q.upper95 }
    : { ...GAUSSIAN_QUANTILES };
}

/**
 * Stored quantiles for horizons 1..scales.length at an origin, averaged with the anchor bands when the
 * calibration blends and shaped across horizons the way the calibration was made — the serving twin of
 * AdaptiveConformal.bandQuantiles.
 */
export function storedBandQuantiles(
  calibration: CalibrationJson | null,
  scales: ArrayLike<number>,
  components: BandComponents = {},
): HorizonQuantiles[] {
  const own = Array.from({ length: scales.length }, (_, i) => storedQuantiles(calibration, i + 1));
  const q = calibration?.blend ? blendQuantiles(own, components, calibration.blend) : own;
  return calibration?.bands === 'monotone' ? monotoneQuantiles(q, scales) : q;
}

/** Turns a point forecast (as log change from the last close) into price bounds. */
export function conformalIntervals(
  lastClose: number,
  logChange: number,
  /** √(expected variance of the h-day log return), from horizonScales */
  scale: number,
  q: HorizonQuantiles,
): { value: number; lower80: number; upper80: number; lower95: number; upper95: number } {
  const center = Math.log(lastClose) + logChange;
  return {
    value: Math.exp(center),
    lower80: Math.exp(center + q.lower80 * scale),
    upper80: Math.exp(center + q.upper80 * scale),
    lower95: Math.exp(center + q.lower95 * scale),
    upper95: Math.exp(center + q.upper95 * scale),
  };
}
