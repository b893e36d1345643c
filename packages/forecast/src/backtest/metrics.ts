import type { EvaluationMetrics, HorizonMetrics, PinballLevel } from '../types.ts';
import { christoffersenPValue, coverageWithCi, kupiecPValue } from './coverage-tests.ts';
import { intervalScore, PINBALL_LEVELS, pinballLoss } from './proper-scores.ts';
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
    if (inside80(f)) in80++;
    if (inside95(f)) in95++;
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

const inside80 = (f: ScoredForecast) => f.actual >= f.lower80 && f.actual <= f.upper80;
const inside95 = (f: ScoredForecast) => f.actual >= f.lower95 && f.actual <= f.upper95;

/** The forecast quantile at each pinball level: band bounds, and the point forecast as the median. */
function quantileAt(f: ScoredForecast, level: PinballLevel): number {
  switch (level) {
    case '0.025':
      return f.lower95;
    case '0.1':
      return f.lower80;
    case '0.5':
      return f.value;
    case '0.9':
      return f.upper80;
    case '0.975':
      return f.upper95;
  }
}

/**
 * horizonMetrics plus proper scores (interval score, pinball) and coverage with a serial-correlation-aware
 * confidence interval; at h = 1 also the Kupiec and Christoffersen tests. `forecasts` must be in origin
 * order (the coverage CI and the independence test read them as a time series).
 */
export function evaluationMetrics(forecasts: readonly ScoredForecast[], h: number): EvaluationMetrics {
  const base = horizonMetrics(forecasts);
  const n = forecasts.length;
  let is80 = 0;
  let is95 = 0;
  let is80Rel = 0;
  let is95Rel = 0;
  const levels = PINBALL_LEVELS.map((l) => String(l) as PinballLevel);
  const pinball = Object.fromEntries(levels.map((l) => [l, 0])) as Record<PinballLevel, number>;
  const pinballRelative = { ...pinball };
  for (const f of forecasts) {
    const s80 = intervalScore(f.lower80, f.upper80, f.actual, 0.2);
    const s95 = intervalScore(f.lower95, f.upper95, f.actual, 0.05);
    is80 += s80;
    is95 += s95;
    is80Rel += s80 / f.lastClose;
    is95Rel += s95 / f.lastClose;
    for (const level of levels) {
      const loss = pinballLoss(quantileAt(f, level), f.actual, Number(level));
      pinball[level] += loss;
      pinballRelative[level] += loss / f.lastClose;
    }
  }
  for (const level of levels) {
    pinball[level] /= n;
    pinballRelative[level] /= n;
  }
  const hits80 = forecasts.map((f) => (inside80(f) ? 1 : 0));
  const hits95 = forecasts.map((f) => (inside95(f) ? 1 : 0));
  const c80 = coverageWithCi(hits80, h);
  const c95 = coverageWithCi(hits95, h);
  const oneDay = h === 1;
  const misses80 = hits80.map((x) => x === 0);
  const misses95 = hits95.map((x) => x === 0);
  return {
    ...base,
    coverage80Ci: c80.ci,
    coverage95Ci: c95.ci,
    intervalScore80: is80 / n,
    intervalScore95: is95 / n,
    intervalScore80Relative: is80Rel / n,
    intervalScore95Relative: is95Rel / n,
    pinball,
    pinballRelative,
    kupiec80: oneDay ? kupiecPValue(misses80, 0.2) : null,
    kupiec95: oneDay ? kupiecPValue(misses95, 0.05) : null,
    christoffersen80: oneDay ? christoffersenPValue(misses80) : null,
    christoffersen95: oneDay ? christoffersenPValue(misses95) : null,
  };
}
