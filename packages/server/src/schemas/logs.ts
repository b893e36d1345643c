import { z } from 'zod';
import { actionCodes } from '../auth/action-events.ts';
import { idSchema, textSchema } from '../validation.ts';
import { pageOf } from './users.ts';

/** The input and output schemas of the logs.* procedures (the legacy routes take their fields from here). */

export const updateLogInput = z.strictObject({
  id: idSchema,
  usernameLog: textSchema({ max: 100 }).nullable(),
  action: textSchema({ min: 1, max: 100 }),
});

/** An audit log row. */
export const logOutput = z
  .object({
    id: z.number().int(),
    date: z.date(),
    userId: z.number().int().nullable(),
    action: z.string(),
    usernameLog: z.string().nullable(),
  })
  .meta({ id: 'Log' });

/** What a row's text means, for screens to translate (null for a reworded or older row). */
const actionEvent = z.object({
  code: z.enum(actionCodes),
  params: z.record(z.string(), z.union([z.string(), z.number()])),
});

export const logPageOutput = pageOf(logOutput.extend({ event: actionEvent.nullable() }));
