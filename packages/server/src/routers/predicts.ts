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
import { withCode } from '../domain/input-errors.ts';
import { actualsOf } from '../forecasts/accuracy.ts';
import { createPrediction } from '../forecasts/create-prediction.ts';
import { symbolSchema } from '../prices/symbol.ts';
import { authedProcedure, router } from '../trpc.ts';
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
    .mutation(({ ctx, input }) => createPrediction(ctx, ctx.user, input)),

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
    .query(({ ctx, input }) => listPredictions(ctx.db, ctx.user, input)),

  /** A forecast with the actual closes stored so far for its days, and how accurate it was. */
  byId: authedProcedure.input(z.strictObject({ id: idSchema })).query(async ({ ctx, input }) => {
    const found = await getPredictionWithCloses(ctx.db, ctx.user, input.id);
    if (!found) fail('NOT_FOUND', { entity: 'forecast', id: input.id });
    const { closes, scores, ...row } = found;
    const points = row.points ?? [];
    // row.calibrationVersion: the live calibration the bands were made with; null = the shipped one
    return { ...row, points, ...actualsOf(points, scores, closes) };
  }),

  /** Only the note changes: a stored forecast is immutable. */
  update: authedProcedure
    .input(z.strictObject({ id: idSchema, note: noteSchema.nullable() }))
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

  delete: authedProcedure.input(z.strictObject({ id: idSchema })).mutation(({ ctx, input }) =>
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
