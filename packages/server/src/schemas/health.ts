import { z } from 'zod';

/** The output of the `health` procedure: it answers only when ready (else 503 NOT_READY). */
export const healthOutput = z.object({
  ready: z.literal(true),
  status: z.literal('ok'),
  database: z.literal('up'),
  migrations: z.literal('current'),
  driver: z.enum(['postgres', 'pglite']),
  version: z.string().meta({ example: '0.1.0' }),
  uptimeSeconds: z.number().int().min(0),
  time: z.date(),
});
