import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { withEvent } from '../auth/action-events.ts';
import { actions } from '../auth/actions.ts';
import { deleteLog, getLog, listLogs, updateLog, writeLog } from '../db/queries/logs.ts';
import { adminProcedure, authedProcedure, router } from '../trpc.ts';
import { idSchema, pageSchema, textSchema } from '../validation.ts';

const notFound = (id: number) => new TRPCError({ code: 'NOT_FOUND', message: `Log ${id} not found` });

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
        .refine((v) => !v.from || !v.to || v.from <= v.to, {
          message: '"from" must not be after "to"',
          path: ['from'],
        })
        .default({ limit: 50 }),
    )
    .query(async ({ ctx, input }) => {
      if (ctx.user.role !== 'admin') {
        if (input.userId !== undefined && input.userId !== ctx.user.id) {
          throw new TRPCError({ code: 'FORBIDDEN', message: 'You can only see your own log' });
        }
      }
      // a user sees only their own rows
      const scoped = ctx.user.role === 'admin' ? input : { ...input, userId: ctx.user.id };
      const page = await listLogs(ctx.db, scoped);
      return { ...page, items: page.items.map(withEvent) };
    }),

  byId: adminProcedure.input(z.strictObject({ id: idSchema })).query(async ({ ctx, input }) => {
    const row = await getLog(ctx.db, input.id);
    if (!row) throw notFound(input.id);
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
        if (!row) throw notFound(input.id);
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
      if (!row) throw notFound(input.id);
      await writeLog(tx, {
        userId: ctx.user.id,
        username: ctx.user.username,
        action: actions.logDeleted(input.id),
      });
      return row;
    }),
  ),
});
