import type { HorizonQuantiles } from './calibration-types.ts';

// Quantile arithmetic of the conformal bands: plain and weighted empirical quantiles of sorted scores,
// the Gaussian fallback and the shaping of bands across horizons.

/** Normal quantiles, used when no score has been observed (yet, or ever: an uncalibrated model). */
export const GAUSSIAN_QUANTILES: Readonly<HorizonQuantiles> = {
  lower80: -1.2816,
  upper80: 1.2816,
  lower95: -1.96,
  upper95: 1.96,
};

/** Empirical quantile with linear interpolation on a sorted array. */
export function quantileSorted(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = Math.min(Math.max(p, 0), 1) * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (pos - lo);
}

/**
 * Weighted quantile of non-exchangeable split conformal (Barber, Candès, Ramdas & Tibshirani 2023) for
 * p ≥ 0.5: the p-quantile of Σ w_i δ(s_i) + 1 · δ(+∞) normalised, i.e. the smallest sorted score whose
 * cumulative weight reaches p · (W + 1), W = Σ w_i; the test point's own mass 1 sits at +∞. Where that mass
 * would be needed (too few effective scores) the largest score is returned. Scans from the top: the
 * smallest k with W − (weight above k) ≥ p(W + 1).
 */
export function upperWeightedQuantile(
  sorted: readonly number[],
  weight: (i: number) => number,
  total: number,
  p: number,
): number {
  const target = p * (total + 1);
  let k = sorted.length - 1;
  let above = 0;
  while (k > 0 && total - (above + weight(k)) >= target) {
    above += weight(k);
    k--;
  }
  return sorted[k] as number;
}

/** The lower tail of upperWeightedQuantile, mirrored: the largest score whose weight at or above it reaches (1 − p)(W + 1). */
export function lowerWeightedQuantile(
  sorted: readonly number[],
  weight: (i: number) => number,
  total: number,
  p: number,
): number {
  const n = sorted.length;
  const target = (1 - p) * (total + 1);
  let k = 0;
  let below = 0;
  while (k < n - 1 && total - (below + weight(k)) >= target) {
    below += weight(k);
    k++;
  }
  return sorted[k] as number;
}

/** Where `value` goes in `sorted` to keep it sorted (before equal values). */
export function lowerBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Makes bands non-narrowing across horizons: the distance of every bound from the forecast, q · scale_h in
 * log units, becomes its running maximum over h = 1..H (quantiles are rescaled so that
 * q'_h · scale_h is that maximum). Horizons where the band already widens are unchanged.
 */
export function monotoneQuantiles(
  quantiles: readonly HorizonQuantiles[],
  scales: ArrayLike<number>,
): HorizonQuantiles[] {
  const keys = ['lower80', 'upper80', 'lower95', 'upper95'] as const;
  const reach = { lower80: 0, upper80: 0, lower95: 0, upper95: 0 };
  return quantiles.map((q, i) => {
    const scale = scales[i] as number;
    const out = { ...q };
    for (const key of keys) {
      const d = q[key] * scale;
      // lower bounds reach down (most negative wins), upper bounds up
      const next = i === 0 ? d : key.startsWith('lower') ? Math.min(reach[key], d) : Math.max(reach[key], d);
      reach[key] = next;
      out[key] = next / scale;
    }
    return out;
  });
}
