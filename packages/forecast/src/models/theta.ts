import { DEFAULT_MAX_HORIZON, MIN_HISTORY_FOR_INTERVALS, type PointModel } from './point-model.ts';

/** Log prices the model is fitted on at each origin (refitted every call, so it never goes stale). */
export const THETA_WINDOW = 365;
const ALPHA_GRID = Array.from({ length: 20 }, (_, i) => 0.05 + i * 0.05);

/**
 * The Theta method (Assimakopoulos & Nikolopoulos 2000) on log prices, in its SES-with-drift form
 * (Hyndman & Billah 2003): simple exponential smoothing plus half the slope of a linear trend. Fitted on
 * the last THETA_WINDOW log closes at every origin; alpha by one-step squared error over a grid.
 */
export function createThetaModel(window = THETA_WINDOW, maxHorizon = DEFAULT_MAX_HORIZON): PointModel {
  return {
    name: 'theta',
    kind: 'statistical',
    window,
    minHistory: MIN_HISTORY_FOR_INTERVALS,
    maxHorizon,
    predictLogChange(closes, horizon) {
      const n = Math.min(window, closes.length);
      const start = closes.length - n;
      const y = new Float64Array(n);
      for (let i = 0; i < n; i++) y[i] = Math.log(closes[start + i] as number);
      const slope = olsSlope(y);
      const { alpha, level } = fitSes(y);
      const last = y[n - 1] as number;
      const out = new Float64Array(horizon);
      const tail = (1 - (1 - alpha) ** n) / alpha;
      for (let h = 1; h <= horizon; h++) {
        out[h - 1] = level - last + (slope / 2) * (h - 1 + tail);
      }
      return out;
    },
  };
}

function olsSlope(y: Float64Array): number {
  const n = y.length;
  if (n < 2) return 0;
  const meanT = (n - 1) / 2;
  let meanY = 0;
  for (let i = 0; i < n; i++) meanY += y[i] as number;
  meanY /= n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    const dt = i - meanT;
    num += dt * ((y[i] as number) - meanY);
    den += dt * dt;
  }
  return num / den;
}

function fitSes(y: Float64Array): { alpha: number; level: number } {
  let best = { alpha: 1, level: y[y.length - 1] as number, sse: Number.POSITIVE_INFINITY };
  for (const alpha of ALPHA_GRID) {
    let level = y[0] as number;
    let sse = 0;
    for (let i = 1; i < y.length; i++) {
      const err = (y[i] as number) - level;
      sse += err * err;
      level += alpha * err;
    }
    if (sse < best.sse) best = { alpha, level, sse };
  }
  return { alpha: best.alpha, level: best.level };
}
