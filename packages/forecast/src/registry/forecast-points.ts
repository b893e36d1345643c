import { addDays } from '@ethcast/days';
import type { CalibrationJson, HorizonQuantiles } from '../intervals/calibration-types.ts';
import { blendComponents } from '../intervals/combination.ts';
import { conformalIntervals, storedBandQuantiles, storedScales } from '../intervals/stored-bands.ts';
import type { PointModel } from '../models/point-model.ts';
import type { ForecastPoint } from '../types.ts';
import type { ForecastCache } from './forecast-cache.ts';

/** Point forecast plus stored conformal calibration → dated points with 80%/95% bounds. */
export function forecastPoints(
  model: PointModel,
  calibration: CalibrationJson | null,
  closes: Float64Array,
  lastDay: string,
  horizon: number,
  cache?: ForecastCache,
): ForecastPoint[] {
  const compute = () => {
    const scales = storedScales(calibration, closes, model.maxHorizon);
    return {
      logChange: model.predictLogChange(closes, model.maxHorizon),
      scales,
      ...(calibration?.blend
        ? { components: blendComponents(closes, scales, calibration.garch ?? null) }
        : {}),
    };
  };
  const { logChange, scales, components } = cache ? cache.get(closes, compute) : compute();
  const quantiles = storedBandQuantiles(calibration, scales, components);
  const lastClose = closes[closes.length - 1] as number;
  const points: ForecastPoint[] = [];
  for (let h = 1; h <= horizon; h++) {
    const q = quantiles[h - 1] as HorizonQuantiles;
    points.push({
      day: addDays(lastDay, h),
      ...conformalIntervals(lastClose, logChange[h - 1] as number, scales[h - 1] as number, q),
    });
  }
  return points;
}
