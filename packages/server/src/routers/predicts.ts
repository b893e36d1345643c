import { z } from 'zod';
import { symbolSchema } from '../prices/symbol.ts';
import {
  createPredictionInput,
  deletedPredictionOutput,
  modelNameSchema,
  predictionDetailOutput,
  predictionOutput,
  predictionPageOutput,
  updateNoteInput,
} from '../schemas/predicts.ts';
import { authedProcedure, router } from '../trpc.ts';
import {
  createPrediction,
  deleteForecast,
  getForecast,
  listForecasts,
  updateForecastNote,
} from '../usecases/predictions.ts';
import { idSchema, pageSchema } from '../validation.ts';

export const predictsRouter = router({
  create: authedProcedure
    .meta({ openapi: { method: 'POST', path: '/predicts/create' } })
    .input(createPredictionInput)
    .output(predictionOutput)
    .mutation(({ ctx, input }) => createPrediction(ctx, ctx.viewer, input)),

  /** Own forecasts, newest first; admins see everyone's or, with userId, one user's. */
  list: authedProcedure
    .meta({ openapi: { method: 'GET', path: '/predicts/list' } })
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
    .output(predictionPageOutput)
    .query(({ ctx, input }) => listForecasts(ctx, ctx.viewer, input)),

  /** A forecast with the actual closes stored so far for its days, and how accurate it was. */
  byId: authedProcedure
    .meta({ openapi: { method: 'GET', path: '/predicts/byId' } })
    .input(z.strictObject({ id: idSchema }))
    .output(predictionDetailOutput)
    .query(({ ctx, input }) => getForecast(ctx, ctx.viewer, input)),

  /** Only the note changes: a stored forecast is immutable. */
  update: authedProcedure
    .meta({ openapi: { method: 'POST', path: '/predicts/update' } })
    .input(updateNoteInput)
    .output(predictionOutput)
    .mutation(({ ctx, input }) => updateForecastNote(ctx, ctx.viewer, input)),

  delete: authedProcedure
    .meta({ openapi: { method: 'POST', path: '/predicts/delete' } })
    .input(z.strictObject({ id: idSchema }))
    .output(deletedPredictionOutput)
    .mutation(({ ctx, input }) => deleteForecast(ctx, ctx.viewer, input)),
});
