import { z } from 'zod';
import { symbolSchema } from '../prices/symbol.ts';
import { modelListOutput, trackRecordOutput } from '../schemas/models.ts';
import { publicProcedure, router } from '../trpc.ts';
import { listModels, modelTrackRecord } from '../usecases/models.ts';
import { useCase } from './use-case.ts';

const listInput = z.strictObject({ symbol: symbolSchema.optional() }).default({});

export const modelsRouter = router({
  /** The registry: every model per symbol with its backtest against persistence; `isDefault` marks the best. */
  list: publicProcedure.input(listInput).output(modelListOutput).query(useCase(listModels)),

  /**
   * How each model's served forecasts turned out (from the scores the score-forecasts job stores): per
   * model and horizon, MAE against persistence on the same origins and days, band coverage with a 95 %
   * interval, band width and calibration; `enough: false` where too few are scored to say anything.
   */
  trackRecord: publicProcedure
    .input(
      z.strictObject({
        symbol: symbolSchema,
        model: z
          .string()
          .trim()
          .regex(/^[a-z0-9_-]{1,50}$/, 'must be a model name like "lstm"')
          .optional(),
        horizon: z
          .number({ message: 'must be a number' })
          .int('must be a whole number of days')
          .min(1, 'must be at least 1')
          .max(365, 'must be at most 365')
          .optional(),
      }),
    )
    .output(trackRecordOutput)
    .query(useCase(modelTrackRecord)),
});
