/**
 * Proper scores for interval and quantile forecasts (Gneiting & Raftery 2007). Lower is better; a
 * forecaster minimizes the expected score only by issuing its true quantiles, so unlike coverage these
 * cannot be gamed by uselessly wide bands.
 */

/**
 * Interval (Winkler) score of a central (1 − α) interval [lower, upper] for outcome y: its width plus 2/α
 * times the distance by which y falls outside it.
 */
export function intervalScore(lower: number, upper: number, y: number, alpha: number): number {
  let score = upper - lower;
  if (y < lower) score += (2 / alpha) * (lower - y);
  else if (y > upper) score += (2 / alpha) * (y - upper);
  return score;
}

/** Pinball (quantile) loss of quantile forecast q at level τ for outcome y. */
export function pinballLoss(q: number, y: number, tau: number): number {
  return y >= q ? tau * (y - q) : (1 - tau) * (q - y);
}

/** Quantile levels scored by the backtest: the bounds of the 95% and 80% bands and the median. */
export const PINBALL_LEVELS = [0.025, 0.1, 0.5, 0.9, 0.975] as const;
