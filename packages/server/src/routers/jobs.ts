import { z } from 'zod';
import { listRuns } from '../db/queries/job-runs.ts';
import { writeLog } from '../db/queries/logs.ts';
import { actions } from '../domain/actions.ts';
import { fail } from '../domain/errors.ts';
import { isJobName } from '../jobs/config.ts';
import { jobsOverview } from '../jobs/overview.ts';
import { jobDefinitions } from '../jobs/registry.ts';
import { jobRunOutput, jobRunsOutput, jobsOverviewOutput } from '../schemas/jobs.ts';
import { adminProcedure, router } from '../trpc.ts';

const jobNameSchema = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(50, 'must be at most 50 characters')
  .regex(/^[a-z-]+$/, 'must be a job name like "sync-prices"');

/** The scheduled jobs, for operators (admins only). */
export const jobsRouter = router({
  /** Every job: schedule (off = null), next occurrence, latest run with its outcome and error. */
  list: adminProcedure
    .meta({ openapi: { method: 'GET', path: '/jobs/list' } })
    .output(jobsOverviewOutput)
    .query(async ({ ctx }) => ({
      enabled: ctx.jobs !== null,
      jobs: await jobsOverview(ctx, jobDefinitions, ctx.clock()),
    })),

  /** A job's recent runs, newest first. */
  runs: adminProcedure
    .meta({ openapi: { method: 'GET', path: '/jobs/runs' } })
    .input(z.strictObject({ name: jobNameSchema, limit: z.number().int().min(1).max(100).default(20) }))
    .output(jobRunsOutput)
    .query(async ({ ctx, input }) => {
      if (!isJobName(input.name)) fail('UNKNOWN_JOB', { job: input.name });
      return listRuns(ctx.db, input.name, input.limit);
    }),

  /** Runs a job now (also one whose schedule is off) and answers when it has finished. */
  run: adminProcedure
    .meta({ openapi: { method: 'POST', path: '/jobs/run' } })
    .input(z.strictObject({ name: jobNameSchema }))
    .output(jobRunOutput)
    .mutation(async ({ ctx, input }) => {
      if (!isJobName(input.name)) fail('UNKNOWN_JOB', { job: input.name });
      if (!ctx.jobs) fail('JOBS_DISABLED');
      const run = await ctx.jobs.runNow(input.name, ctx.user.username);
      await writeLog(ctx.db, {
        userId: ctx.user.id,
        username: ctx.user.username,
        action: actions.jobRun(input.name, run.state),
      });
      return run;
    }),
});
