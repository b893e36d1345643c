import { chiSquare1Tail } from '../stats/special-functions.ts';

/**
 * Coverage of a series of hit indicators (1 = outcome inside the band) with a 95% confidence interval that
 * allows for serial correlation: consecutive h-day outcomes overlap by h − 1 days, and misses cluster in
 * volatile spells even at h = 1. The standard error is Newey–West (HAC, Bartlett kernel) with
 * `lags` = max(h − 1, ⌊4 (n / 100)^(2/9)⌋), the overlap plus the usual rule-of-thumb bandwidth, so an MA(h−1)
 * overlap is fully inside the kernel. Interval = coverage ± 1.96 SE, clipped to [0, 1].
 */
export function coverageWithCi(
  hits: readonly number[],
  h: number,
): { coverage: number; ci: [number, number] } {
  const n = hits.length;
  if (n === 0) return { coverage: Number.NaN, ci: [Number.NaN, Number.NaN] };
  const mean = hits.reduce((s, x) => s + x, 0) / n;
  const se = Math.sqrt(neweyWestVariance(hits, neweyWestLags(n, h)) / n);
  return { coverage: mean, ci: [Math.max(0, mean - 1.96 * se), Math.min(1, mean + 1.96 * se)] };
}

/** Bandwidth of the coverage standard error for n outcomes at horizon h (see coverageWithCi). */
export function neweyWestLags(n: number, h: number): number {
  return Math.max(h - 1, Math.floor(4 * (n / 100) ** (2 / 9)));
}

/**
 * Newey–West long-run variance of a series: γ₀ + 2 Σ_{k=1..L} (1 − k/(L+1)) γ_k, autocovariances γ_k with
 * divisor n. Never below 0 (the Bartlett weights guarantee it, rounding aside).
 */
export function neweyWestVariance(x: readonly number[], lags: number): number {
  const n = x.length;
  const mean = x.reduce((s, v) => s + v, 0) / n;
  const gamma = (k: number) => {
    let sum = 0;
    for (let i = k; i < n; i++) sum += ((x[i] as number) - mean) * ((x[i - k] as number) - mean);
    return sum / n;
  };
  let variance = gamma(0);
  for (let k = 1; k <= Math.min(lags, n - 1); k++) variance += 2 * (1 - k / (lags + 1)) * gamma(k);
  return Math.max(variance, 0);
}

/** x · ln(y) with 0 · ln(0) = 0, for likelihoods of events that never happened. */
const xlogy = (x: number, y: number) => (x === 0 ? 0 : x * Math.log(y));

/**
 * Kupiec (1995) proportion-of-failures test: p-value of LR = −2 ln[L(p) / L(x/n)] for x misses in n
 * outcomes when the nominal miss rate is p, χ²(1). Low = the miss rate is off nominal.
 */
export function kupiecPValue(misses: readonly boolean[], nominalMissRate: number): number {
  const n = misses.length;
  const x = misses.filter(Boolean).length;
  if (n === 0) return Number.NaN;
  const p = nominalMissRate;
  const phat = x / n;
  const lr = -2 * (xlogy(n - x, 1 - p) + xlogy(x, p) - xlogy(n - x, 1 - phat) - xlogy(x, phat));
  return chiSquare1Tail(lr);
}

/**
 * Christoffersen (1998) independence test: p-value of the LR of a first-order Markov chain of misses
 * against independent misses, χ²(1). Low = misses cluster (a miss makes the next one more likely).
 */
export function christoffersenPValue(misses: readonly boolean[]): number {
  let n00 = 0;
  let n01 = 0;
  let n10 = 0;
  let n11 = 0;
  for (let i = 1; i < misses.length; i++) {
    const prev = misses[i - 1];
    const cur = misses[i];
    if (!prev && !cur) n00++;
    else if (!prev && cur) n01++;
    else if (prev && !cur) n10++;
    else n11++;
  }
  const total = n00 + n01 + n10 + n11;
  if (total === 0) return Number.NaN;
  const pi = (n01 + n11) / total;
  const pi0 = n00 + n01 > 0 ? n01 / (n00 + n01) : 0;
  const pi1 = n10 + n11 > 0 ? n11 / (n10 + n11) : 0;
  const independent = xlogy(n00 + n10, 1 - pi) + xlogy(n01 + n11, pi);
  const markov = xlogy(n00, 1 - pi0) + xlogy(n01, pi0) + xlogy(n10, 1 - pi1) + xlogy(n11, pi1);
  return chiSquare1Tail(-2 * (independent - markov));
}
