import { z } from 'zod';
import { withEvent } from '../auth/action-events.ts';
import { deleteLog, getLog, listLogs, updateLog, writeLog } from '../db/queries/logs.ts';
import { actions } from '../domain/actions.ts';
import { fail } from '../domain/errors.ts';
import { withCode } from '../domain/input-errors.ts';
import { logOutput, logPageOutput, updateLogInput } from '../schemas/logs.ts';
import { adminProcedure, authedProcedure, router } from '../trpc.ts';
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
    .query(async ({ ctx, input }) => {
      const page = await listLogs(ctx.db, ctx.user, input);
      return { ...page, items: page.items.map(withEvent) };
    }),

  byId: adminProcedure
    .meta({ openapi: { method: 'GET', path: '/logs/byId' } })
    .input(z.strictObject({ id: idSchema }))
    .output(logOutput)
    .query(async ({ ctx, input }) => {
      const row = await getLog(ctx.db, input.id);
      if (!row) fail('NOT_FOUND', { entity: 'log', id: input.id });
      return row;
    }),

  update: adminProcedure
    .meta({ openapi: { method: 'POST', path: '/logs/update' } })
    .input(updateLogInput)
    .output(logOutput)
    .mutation(({ ctx, input }) =>
      ctx.db.transaction(async (tx) => {
        const row = await updateLog(tx, input.id, { usernameLog: input.usernameLog, action: input.action });
        if (!row) fail('NOT_FOUND', { entity: 'log', id: input.id });
        await writeLog(tx, {
          userId: ctx.user.id,
          username: ctx.user.username,
          action: actions.logEdited(input.id),
        });
        return row;
      }),
    ),

  delete: adminProcedure
    .meta({ openapi: { method: 'POST', path: '/logs/delete' } })
    .input(z.strictObject({ id: idSchema }))
    .output(logOutput)
    .mutation(({ ctx, input }) =>
      ctx.db.transaction(async (tx) => {
        const row = await deleteLog(tx, input.id);
        if (!row) fail('NOT_FOUND', { entity: 'log', id: input.id });
        await writeLog(tx, {
          userId: ctx.user.id,
          username: ctx.user.username,
          action: actions.logDeleted(input.id),
        });
        return row;
      }),
    ),
});
