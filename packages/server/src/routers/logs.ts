import { z } from 'zod';
import { withCode } from '../domain/input-errors.ts';
import { adminProcedure, authedProcedure, router } from '../trpc.ts';
import { deleteLogEntry, editLogEntry, getLogEntry, listLogEntries } from '../usecases/logs.ts';
import { fromNotAfterTo, idSchema, pageSchema, textSchema } from '../validation.ts';

export const logsRouter = router({
  /** Admins see every row (optionally one user's); a user sees only their own. */
  list: authedProcedure
    .input(
      z
        .strictObject({
          ...pageSchema,
          userId: idSchema.optional(),
          action: textSchema({ min: 1, max: 100 }).optional(),
          from: z.date({ message: 'must be a date' }).optional(),
          to: z.date({ message: 'must be a date' }).optional(),
        })
        .refine(fromNotAfterTo, { ...withCode('FROM_AFTER_TO'), path: ['from'] })
        .default({ limit: 50 }),
    )
    .query(({ ctx, input }) => listLogEntries(ctx, ctx.viewer, input)),

  byId: adminProcedure
    .input(z.strictObject({ id: idSchema }))
    .query(({ ctx, input }) => getLogEntry(ctx, ctx.viewer, input)),

  update: adminProcedure
    .input(
      z.strictObject({
        id: idSchema,
        usernameLog: textSchema({ max: 100 }).nullable(),
        action: textSchema({ min: 1, max: 100 }),
      }),
    )
    .mutation(({ ctx, input }) => editLogEntry(ctx, ctx.viewer, input)),

  delete: adminProcedure
    .input(z.strictObject({ id: idSchema }))
    .mutation(({ ctx, input }) => deleteLogEntry(ctx, ctx.viewer, input)),
});
