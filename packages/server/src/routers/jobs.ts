import { z } from 'zod';
import { jobRunOutput, jobRunsOutput, jobsOverviewOutput } from '../schemas/jobs.ts';
import { adminProcedure, router } from '../trpc.ts';
import { listJobRuns, listJobs, runJobNow } from '../usecases/jobs.ts';
import { useCase } from './use-case.ts';

const jobNameSchema = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(50, 'must be at most 50 characters')
  .regex(/^[a-z-]+$/, 'must be a job name like "sync-prices"');

const runsInput = z.strictObject({
  name: jobNameSchema,
  limit: z.number().int().min(1).max(100).default(20),
});
const runInput = z.strictObject({ name: jobNameSchema });

/** The scheduled jobs, for operators (admins only). */
export const jobsRouter = router({
  /** Every job: schedule (off = null), next occurrence, latest run with its outcome and error. */
  list: adminProcedure.output(jobsOverviewOutput).query(useCase(listJobs)),

  /** A job's recent runs, newest first. */
  runs: adminProcedure.input(runsInput).output(jobRunsOutput).query(useCase(listJobRuns)),

  /** Runs a job now (also one whose schedule is off) and answers when it has finished. */
  run: adminProcedure.input(runInput).output(jobRunOutput).mutation(useCase(runJobNow)),
});
