import { DEFAULT_MAX_HORIZON, MIN_HISTORY_FOR_INTERVALS, type PointModel } from './point-model.ts';

/** Days of returns averaged for the drift; a year smooths out single rallies and crashes. */
export const DRIFT_WINDOW = 365;

/** Random walk with drift: the mean daily log return over the last year, extrapolated linearly. */
export function createDriftModel(window = DRIFT_WINDOW, maxHorizon = DEFAULT_MAX_HORIZON): PointModel {
  return {
    name: 'drift',
    kind: 'baseline',
    window,
    minHistory: MIN_HISTORY_FOR_INTERVALS,
    maxHorizon,
    predictLogChange(closes, horizon) {
      const last = closes.length - 1;
      const first = Math.max(0, last - window);
      const drift = last > first ? Math.log((closes[last] as number) / (closes[first] as number)) / (last - first) : 0;
      const out = new Float64Array(horizon);
      for (let h = 1; h <= horizon; h++) out[h - 1] = drift * h;
      return out;
    },
  };
}
