import type { HorizonMetrics } from '@ethcast/forecast';
import { z } from 'zod';

/** The output schemas of the models.* procedures. */

/**
 * A model's backtest figures at one horizon. The metadata carries further scores (interval scores,
 * pinball, coverage tests), answered as they are: the object is open, typed as the forecast package's.
 */
const horizonMetrics: z.ZodType<HorizonMetrics> = z.looseObject({
  mae: z.number(),
  rmse: z.number(),
  mape: z.number(),
  maeRatio: z.number(),
  hitRate: z.number(),
  coverage80: z.number(),
  coverage95: z.number(),
  width80: z.number(),
  width95: z.number(),
});

export const modelListOutput = z.array(
  z.object({
    id: z.string(),
    name: z.string().meta({ example: 'naive' }),
    kind: z.string(),
    symbol: z.string(),
    window: z.number().int(),
    maxHorizon: z.number().int(),
    minHistory: z.number().int(),
    version: z.string(),
    trainedFrom: z.string().nullable(),
    trainedThrough: z.string().nullable(),
    metrics: z
      .record(z.string(), horizonMetrics)
      .nullable()
      .meta({ description: "keyed by horizon ('1', '7', '30')" }),
    backtest: z
      .object({ from: z.string(), to: z.string(), modelsTrainedThrough: z.string().nullable() })
      .nullable(),
    isDefault: z.boolean(),
  }),
);

const proportion = z.object({ observed: z.number(), low: z.number(), high: z.number() });

const trackRecordRow = z.object({
  horizon: z.number().int().nullable().meta({ description: 'days ahead; null = every horizon pooled' }),
  n: z.number().int(),
  forecasts: z.number().int(),
  origins: z.number().int(),
  mae: z.number(),
  persistenceMae: z.number(),
  maeRatio: z.number().nullable(),
  coverage80: proportion,
  coverage95: proportion,
  meanWidth80: z.number(),
  meanWidth95: z.number(),
  relativeWidth80: z.number(),
  relativeWidth95: z.number(),
  enough: z.boolean(),
});

export const trackRecordOutput = z.object({
  symbol: z.string(),
  minOrigins: z.number().int(),
  models: z.array(
    z.object({
      model: z.string(),
      overall: trackRecordRow,
      horizons: z.array(trackRecordRow),
      calibration: z.array(
        z.object({
          nominal: z.number(),
          observed: z.number(),
          low: z.number(),
          high: z.number(),
          n: z.number(),
        }),
      ),
      enough: z.boolean(),
      verdict: z.string(),
    }),
  ),
});
