import { z } from 'zod';
import { withCode } from '../domain/input-errors.ts';
import { symbolSchema } from '../prices/symbol.ts';
import { authedProcedure, router } from '../trpc.ts';
import {
  createPrediction,
  deleteForecast,
  getForecast,
  listForecasts,
  updateForecastNote,
} from '../usecases/predictions.ts';
import { idSchema, pageSchema, textSchema } from '../validation.ts';

const modelNameSchema = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(50, 'must be at most 50 characters')
  .refine((name) => /^[a-z0-9_-]+$/.test(name), withCode('MODEL_NAME_FORMAT'));

/** No model forecasts further; each model's own limit is checked when it runs (HORIZON_TOO_LONG). */
const MAX_FORECAST_DAYS = 365;
const noteSchema = textSchema({ max: 500, multiline: true });

export const predictsRouter = router({
  create: authedProcedure
    .input(
      z.strictObject({
        model: modelNameSchema.optional(),
        days: z
          .number({ error: (issue) => (issue.code === 'invalid_type' ? 'must be a number' : undefined) })
          .int('must be a whole number of days')
          .min(1, 'must be at least 1')
          .max(MAX_FORECAST_DAYS, `must be at most ${MAX_FORECAST_DAYS}`),
        symbol: symbolSchema.default('ETH-USD'),
        note: noteSchema.optional(),
      }),
    )
    .mutation(({ ctx, input }) => createPrediction(ctx, ctx.viewer, input)),

  /** Own forecasts, newest first; admins see everyone's or, with userId, one user's. */
  list: authedProcedure
    .input(
      z
        .strictObject({
          ...pageSchema,
          symbol: symbolSchema.optional(),
          model: modelNameSchema.optional(),
          userId: idSchema.optional(),
          /** every point of each row (the legacy list answered them); without it only the last */
          points: z.boolean().optional(),
        })
        .default({ limit: 50 }),
    )
    .query(({ ctx, input }) => listForecasts(ctx, ctx.viewer, input)),

  /** A forecast with the actual closes stored so far for its days, and how accurate it was. */
  byId: authedProcedure
    .input(z.strictObject({ id: idSchema }))
    .query(({ ctx, input }) => getForecast(ctx, ctx.viewer, input)),

  /** Only the note changes: a stored forecast is immutable. */
  update: authedProcedure
    .input(z.strictObject({ id: idSchema, note: noteSchema.nullable() }))
    .mutation(({ ctx, input }) => updateForecastNote(ctx, ctx.viewer, input)),

  delete: authedProcedure
    .input(z.strictObject({ id: idSchema }))
    .mutation(({ ctx, input }) => deleteForecast(ctx, ctx.viewer, input)),
});
