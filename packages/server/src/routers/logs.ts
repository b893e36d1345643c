import { z } from 'zod';
import { withCode } from '../domain/input-errors.ts';
import { logOutput, logPageOutput, updateLogInput } from '../schemas/logs.ts';
import { adminProcedure, authedProcedure, router } from '../trpc.ts';
import { deleteLogEntry, editLogEntry, getLogEntry, listLogEntries } from '../usecases/logs.ts';
import { byIdInput, fromNotAfterTo, idSchema, pageSchema, textSchema } from '../validation.ts';
import { useCase } from './use-case.ts';

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
    .output(logPageOutput)
    .query(useCase(listLogEntries)),

  byId: adminProcedure.input(byIdInput).output(logOutput).query(useCase(getLogEntry)),

  update: adminProcedure.input(updateLogInput).output(logOutput).mutation(useCase(editLogEntry)),

  delete: adminProcedure.input(byIdInput).output(logOutput).mutation(useCase(deleteLogEntry)),
});
