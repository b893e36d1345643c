import { z } from 'zod';
import { withEvent } from '../auth/action-events.ts';
import { deleteLog, getLog, listLogs, updateLog, writeLog } from '../db/queries/logs.ts';
import { actions } from '../domain/actions.ts';
import { fail } from '../domain/errors.ts';
import { withCode } from '../domain/input-errors.ts';
import { adminProcedure, authedProcedure, router } from '../trpc.ts';
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
    .query(async ({ ctx, input }) => {
      const page = await listLogs(ctx.db, ctx.user, input);
      return { ...page, items: page.items.map(withEvent) };
    }),

  byId: adminProcedure.input(z.strictObject({ id: idSchema })).query(async ({ ctx, input }) => {
    const row = await getLog(ctx.db, input.id);
    if (!row) fail('NOT_FOUND', { entity: 'log', id: input.id });
    return row;
  }),

  update: adminProcedure
    .input(
      z.strictObject({
        id: idSchema,
        usernameLog: textSchema({ max: 100 }).nullable(),
        action: textSchema({ min: 1, max: 100 }),
      }),
    )
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

  delete: adminProcedure.input(z.strictObject({ id: idSchema })).mutation(({ ctx, input }) =>
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
