/** RiskMetrics decay: reacts to volatility regime changes within a few weeks. */
export const EWMA_LAMBDA = 0.94;
/** Returns used for the volatility estimate; older ones carry < 0.1% weight at lambda 0.94. */
const LOOKBACK = 120;
/** Floor so a flat stretch of prices cannot produce zero-width intervals. */
const MIN_DAILY_VOL = 1e-4;

/**
 * EWMA daily log-return volatility using closes[0..end] only (inclusive). Conformal scores are divided by
 * this so that interval width follows the current volatility regime instead of the calibration average.
 */
export function ewmaVolatility(closes: ArrayLike<number>, end: number = closes.length - 1): number {
  const start = Math.max(1, end - LOOKBACK + 1);
  if (end < 1) return MIN_DAILY_VOL;
  // Seed with the mean square of the first few returns so the start of the window is not biased to zero.
  const seedCount = Math.min(10, end - start + 1);
  let variance = 0;
  for (let i = start; i < start + seedCount; i++) {
    const r = Math.log((closes[i] as number) / (closes[i - 1] as number));
    variance += r * r;
  }
  variance /= seedCount;
  for (let i = start + seedCount; i <= end; i++) {
    const r = Math.log((closes[i] as number) / (closes[i - 1] as number));
    variance = EWMA_LAMBDA * variance + (1 - EWMA_LAMBDA) * r * r;
  }
  return Math.max(Math.sqrt(variance), MIN_DAILY_VOL);
}
