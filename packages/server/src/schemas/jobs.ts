import { z } from 'zod';
import { JOB_NAMES } from '../jobs/config.ts';

/** The output schemas of the jobs.* procedures. */

const failureOutput = z.object({
  symbol: z.string().optional(),
  reason: z.string().meta({ description: 'a reason code of the error catalogue' }),
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
});

/** One run of a scheduled job (or one asked for by hand). */
export const jobRunOutput = z
  .object({
    id: z.string(),
    job: z.string(),
    occurrence: z.date().nullable().meta({ description: 'the schedule occurrence it ran for' }),
    trigger: z.enum(['schedule', 'manual']),
    state: z.enum(['queued', 'running', 'succeeded', 'failed']),
    attempts: z.number().int(),
    queuedAt: z.date(),
    startedAt: z.date().nullable(),
    finishedAt: z.date().nullable(),
    durationMs: z.number().nullable(),
    result: z.record(z.string(), z.unknown()).nullable(),
    error: z.string().nullable(),
    errorReasons: z.array(failureOutput).nullable(),
    requestedBy: z.string().nullable(),
  })
  .meta({ id: 'JobRun' });

export const jobRunsOutput = z.array(jobRunOutput);

export const jobsOverviewOutput = z.object({
  enabled: z.boolean().meta({ description: 'false when this server runs no jobs' }),
  jobs: z.array(
    z.object({
      name: z.enum(JOB_NAMES),
      description: z.string(),
      schedule: z.string().nullable().meta({ description: 'cron expression; null = off' }),
      nextRunAt: z.date().nullable(),
      lastRun: jobRunOutput.nullable(),
    }),
  ),
});
