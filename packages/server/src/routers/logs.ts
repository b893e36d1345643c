import { z } from 'zod';
import { withCode } from '../domain/input-errors.ts';
import { logOutput, logPageOutput, updateLogInput } from '../schemas/logs.ts';
import { adminProcedure, authedProcedure, router } from '../trpc.ts';
import { deleteLogEntry, editLogEntry, getLogEntry, listLogEntries } from '../usecases/logs.ts';
import { fromNotAfterTo, idSchema, pageSchema, textSchema } from '../validation.ts';

export const logsRouter = router({
  /** Admins see every row (optionally one user's); a user sees only their own. */
  list: authedProcedure
    .meta({ openapi: { method: 'GET', path: '/logs/list' } })
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
    .output(logPageOutput)
    .query(({ ctx, input }) => listLogEntries(ctx, ctx.viewer, input)),

  byId: adminProcedure
    .meta({ openapi: { method: 'GET', path: '/logs/byId' } })
    .input(z.strictObject({ id: idSchema }))
    .output(logOutput)
    .query(({ ctx, input }) => getLogEntry(ctx, ctx.viewer, input)),

  update: adminProcedure
    .meta({ openapi: { method: 'POST', path: '/logs/update' } })
    .input(updateLogInput)
    .output(logOutput)
    .mutation(({ ctx, input }) => editLogEntry(ctx, ctx.viewer, input)),

  delete: adminProcedure
    .meta({ openapi: { method: 'POST', path: '/logs/delete' } })
    .input(z.strictObject({ id: idSchema }))
    .output(logOutput)
    .mutation(({ ctx, input }) => deleteLogEntry(ctx, ctx.viewer, input)),
});
