import type { HorizonMetrics } from '../types.ts';
import type { ScoredForecast } from './walk-forward.ts';

/**
 * Accuracy and interval metrics for one model at one horizon. `maeRatio` divides by persistence's MAE at
 * exactly the same origins (persistence forecasts the origin's close). Direction: a forecast of "no change"
 * counts as half a hit, so persistence scores 0.5 rather than an undefined rate. Coverage and width are
 * fractions; width is relative to the point forecast; MAPE is in percent.
 */
export function horizonMetrics(forecasts: readonly ScoredForecast[]): HorizonMetrics {
  const n = forecasts.length;
  if (n === 0) throw new Error('no scored forecasts for this horizon — is the backtest range long enough?');
  let absSum = 0;
  let sqSum = 0;
  let pctSum = 0;
  let naiveAbsSum = 0;
  let hits = 0;
  let in80 = 0;
  let in95 = 0;
  let width80 = 0;
  let width95 = 0;
  for (const f of forecasts) {
    const err = f.value - f.actual;
    absSum += Math.abs(err);
    sqSum += err * err;
    pctSum += Math.abs(err) / f.actual;
    naiveAbsSum += Math.abs(f.lastClose - f.actual);
    // exp(log(x)) is not always exactly x: treat sub-1e-9 relative moves as "no change"
    const predicted = Math.abs(f.value / f.lastClose - 1) < 1e-9 ? 0 : Math.sign(f.value - f.lastClose);
    const realized = Math.sign(f.actual - f.lastClose);
    hits += predicted === 0 ? 0.5 : predicted === realized ? 1 : 0;
    if (f.actual >= f.lower80 && f.actual <= f.upper80) in80++;
    if (f.actual >= f.lower95 && f.actual <= f.upper95) in95++;
    width80 += (f.upper80 - f.lower80) / f.value;
    width95 += (f.upper95 - f.lower95) / f.value;
  }
  const mae = absSum / n;
  return {
    mae,
    rmse: Math.sqrt(sqSum / n),
    mape: (100 * pctSum) / n,
    maeRatio: naiveAbsSum > 0 ? absSum / naiveAbsSum : 1,
    hitRate: hits / n,
    coverage80: in80 / n,
    coverage95: in95 / n,
    width80: width80 / n,
    width95: width95 / n,
  };
}
