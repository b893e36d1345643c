import { z } from 'zod';
import { writeLog } from '../db/queries/logs.ts';
import {
  deletePrediction,
  getPredictionWithCloses,
  listPredictions,
  updatePredictionNote,
} from '../db/queries/predicts.ts';
import { actions } from '../domain/actions.ts';
import { fail } from '../domain/errors.ts';
import { actualsOf } from '../forecasts/accuracy.ts';
import { createPrediction } from '../forecasts/create-prediction.ts';
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
import { idSchema, pageSchema } from '../validation.ts';

export const predictsRouter = router({
  create: authedProcedure
    .meta({ openapi: { method: 'POST', path: '/predicts/create' } })
    .input(createPredictionInput)
    .output(predictionOutput)
    .mutation(({ ctx, input }) => createPrediction(ctx, ctx.user, input)),

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
    .query(({ ctx, input }) => listPredictions(ctx.db, ctx.user, input)),

  /** A forecast with the actual closes stored so far for its days, and how accurate it was. */
  byId: authedProcedure
    .meta({ openapi: { method: 'GET', path: '/predicts/byId' } })
    .input(z.strictObject({ id: idSchema }))
    .output(predictionDetailOutput)
    .query(async ({ ctx, input }) => {
      const found = await getPredictionWithCloses(ctx.db, ctx.user, input.id);
      if (!found) fail('NOT_FOUND', { entity: 'forecast', id: input.id });
      const { closes, scores, ...row } = found;
      const points = row.points ?? [];
      // row.calibrationVersion: the live calibration the bands were made with; null = the shipped one
      return { ...row, points, ...actualsOf(points, scores, closes) };
    }),

  /** Only the note changes: a stored forecast is immutable. */
  update: authedProcedure
    .meta({ openapi: { method: 'POST', path: '/predicts/update' } })
    .input(updateNoteInput)
    .output(predictionOutput)
    .mutation(({ ctx, input }) =>
      ctx.db.transaction(async (tx) => {
        const row = await updatePredictionNote(tx, ctx.user, input.id, input.note || null);
        if (!row) fail('NOT_FOUND', { entity: 'forecast', id: input.id });
        await writeLog(tx, {
          userId: ctx.user.id,
          username: ctx.user.username,
          action: actions.predictUpdated(input.id),
        });
        return row;
      }),
    ),

  delete: authedProcedure
    .meta({ openapi: { method: 'POST', path: '/predicts/delete' } })
    .input(z.strictObject({ id: idSchema }))
    .output(deletedPredictionOutput)
    .mutation(({ ctx, input }) =>
      ctx.db.transaction(async (tx) => {
        const row = await deletePrediction(tx, ctx.user, input.id);
        if (!row) fail('NOT_FOUND', { entity: 'forecast', id: input.id });
        await writeLog(tx, {
          userId: ctx.user.id,
          username: ctx.user.username,
          action: actions.predictDeleted(input.id),
        });
        return row;
      }),
    ),
});
