/**
 * Inputs and targets of the neural models. Inputs are the last `window` daily log returns; targets are the
 * cumulative log returns to every horizon 1..H (a direct multi-horizon head, so one forward pass serves a
 * whole forecast). Scaling statistics come from the training window only: using the whole series (as the
 * legacy MinMax scaler did) leaks the future and breaks on new highs.
 */
export interface ReturnScaling {
  /** mean daily log return over the training window */
  mean: number;
  /** standard deviation of daily log returns over the training window */
  std: number;
}

export function logReturns(closes: ArrayLike<number>, from = 1, to = closes.length - 1): Float64Array {
  const out = new Float64Array(Math.max(0, to - from + 1));
  for (let i = from; i <= to; i++)
    out[i - from] = Math.log((closes[i] as number) / (closes[i - 1] as number));
  return out;
}

/** Fits scaling on closes[0..end] (inclusive) — callers pass the last training day as `end`. */
export function fitReturnScaling(closes: ArrayLike<number>, end: number): ReturnScaling {
  const r = logReturns(closes, 1, end);
  if (r.length < 2) throw new Error('need at least 3 closes to fit scaling');
  let mean = 0;
  for (const v of r) mean += v;
  mean /= r.length;
  let variance = 0;
  for (const v of r) variance += (v - mean) ** 2;
  variance /= r.length - 1;
  return { mean, std: Math.max(Math.sqrt(variance), 1e-8) };
}

/** Scaled input window ending at closes[origin]: `window` returns, oldest first. */
export function inputWindow(
  closes: ArrayLike<number>,
  origin: number,
  window: number,
  scaling: ReturnScaling,
  out: Float32Array = new Float32Array(window),
): Float32Array {
  for (let k = 0; k < window; k++) {
    const i = origin - window + 1 + k;
    const r = Math.log((closes[i] as number) / (closes[i - 1] as number));
    out[k] = (r - scaling.mean) / scaling.std;
  }
  return out;
}

/** Scaled targets: (cumulative return to h − h·mean) / (std·√h), so every horizon has unit scale. */
export function targetVector(
  closes: ArrayLike<number>,
  origin: number,
  horizon: number,
  scaling: ReturnScaling,
  out: Float32Array = new Float32Array(horizon),
): Float32Array {
  const base = Math.log(closes[origin] as number);
  for (let h = 1; h <= horizon; h++) {
    const cumulative = Math.log(closes[origin + h] as number) - base;
    out[h - 1] = (cumulative - h * scaling.mean) / (scaling.std * Math.sqrt(h));
  }
  return out;
}

/** Inverse of targetVector for a network output. */
export function unscaleTargets(
  scaled: ArrayLike<number>,
  horizon: number,
  scaling: ReturnScaling,
): Float64Array {
  const out = new Float64Array(horizon);
  for (let h = 1; h <= horizon; h++) {
    out[h - 1] = (scaled[h - 1] as number) * scaling.std * Math.sqrt(h) + h * scaling.mean;
  }
  return out;
}
