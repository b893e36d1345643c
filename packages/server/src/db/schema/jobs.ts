import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, text, uniqueIndex, varchar } from 'drizzle-orm/pg-core';
import { timestamptz } from './columns.ts';

// Runs of the scheduled jobs.

/** One reason a job run failed: a reason code of domain/errors.ts and its params, with the symbol it concerns. */
export type JobRunFailure = {
  symbol?: string;
  reason: string;
  params: Record<string, string | number | boolean | null>;
};

/**
 * Runs of the scheduled jobs (jobs/): one row per scheduled occurrence (unique per job and occurrence, so
 * replicas that all see the same occurrence record it once) or per run asked for by hand. pg-boss holds
 * the queue, retries and expiry; this table is what operators and tests read.
 */
export const jobRuns = pgTable(
  'job_runs',
  {
    /** also the pg-boss job id */
    id: varchar('id', { length: 36 }).primaryKey(),
    job: varchar('job', { length: 50 }).notNull(),
    /** the cron occurrence this run is for; null for runs asked for by hand */
    occurrence: timestamptz('occurrence'),
    trigger: text('trigger', { enum: ['schedule', 'manual'] }).notNull(),
    state: text('state', { enum: ['queued', 'running', 'succeeded', 'failed'] })
      .notNull()
      .default('queued'),
    attempts: integer('attempts').notNull().default(0),
    queuedAt: timestamptz('queued_at').notNull().defaultNow(),
    startedAt: timestamptz('started_at'),
    finishedAt: timestamptz('finished_at'),
    durationMs: integer('duration_ms'),
    /** a short summary of what the run did (job-specific) */
    result: jsonb('result').$type<Record<string, unknown>>(),
    error: text('error'),
    /** why it failed, for screens to translate: reason codes and params (one per failing symbol for sync-prices) */
    errorReasons: jsonb('error_reasons').$type<JobRunFailure[]>(),
    /** who asked for a manual run */
    requestedBy: varchar('requested_by', { length: 100 }),
  },
  (t) => [
    uniqueIndex('job_runs_job_occurrence_key').on(t.job, t.occurrence),
    index('job_runs_job_queued_idx').on(t.job, t.queuedAt),
    check('job_runs_trigger_check', sql`${t.trigger} in ('schedule', 'manual')`),
    check('job_runs_state_check', sql`${t.state} in ('queued', 'running', 'succeeded', 'failed')`),
  ],
);
