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
import { byIdInput, idSchema, pageSchema } from '../validation.ts';
import { useCase } from './use-case.ts';

export const predictsRouter = router({
  create: authedProcedure
    .input(createPredictionInput)
    .output(predictionOutput)
    .mutation(useCase(createPrediction)),

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
    .output(predictionPageOutput)
    .query(useCase(listForecasts)),

  /** A forecast with the actual closes stored so far for its days, and how accurate it was. */
  byId: authedProcedure.input(byIdInput).output(predictionDetailOutput).query(useCase(getForecast)),

  /** Only the note changes: a stored forecast is immutable. */
  update: authedProcedure
    .input(updateNoteInput)
    .output(predictionOutput)
    .mutation(useCase(updateForecastNote)),

  delete: authedProcedure.input(byIdInput).output(deletedPredictionOutput).mutation(useCase(deleteForecast)),
});
