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

/** Days of returns behind the long-run variance that volatility reverts to. */
export const LONG_RUN_DAYS = 365;
/**
 * Daily persistence of a volatility shock (half-life ≈ 23 days at 0.97). Crypto volatility clusters but
 * mean-reverts: after a calm month the next 30 days are not as calm as the last week says.
 */
export const VOL_PERSISTENCE = 0.97;

/**
 * Today's EWMA daily variance and the long-run (last LONG_RUN_DAYS) daily variance it reverts to, from
 * closes[0..end]. With fewer than 30 returns the long-run variance is taken to be today's.
 */
export function volatilityState(
  closes: ArrayLike<number>,
  end: number = closes.length - 1,
): { shortVar: number; longVar: number } {
  const shortVar = ewmaVolatility(closes, end) ** 2;
  const start = Math.max(1, end - LONG_RUN_DAYS + 1);
  let longVar = shortVar;
  if (end - start >= 29) {
    let sum = 0;
    for (let i = start; i <= end; i++) {
      const r = Math.log((closes[i] as number) / (closes[i - 1] as number));
      sum += r * r;
    }
    longVar = Math.max(sum / (end - start + 1), MIN_DAILY_VOL ** 2);
  }
  return { shortVar, longVar };
}

/**
 * Interval scale for every horizon 1..H from closes[0..end]: √(h · average expected daily variance over the
 * next h days), where the expected variance decays from today's EWMA variance toward the long-run one
 * (the GARCH(1,1) term structure). Short horizons follow the current regime, long ones lean on the year.
 */
export function horizonScales(
  closes: ArrayLike<number>,
  maxHorizon: number,
  end: number = closes.length - 1,
): Float64Array {
  const { shortVar, longVar } = volatilityState(closes, end);
  const phi = VOL_PERSISTENCE;
  const scales = new Float64Array(maxHorizon);
  let cumulative = 0;
  let decay = 1;
  for (let h = 1; h <= maxHorizon; h++) {
    cumulative += longVar + (shortVar - longVar) * decay;
    decay *= phi;
    scales[h - 1] = Math.sqrt(cumulative);
  }
  return scales;
}
