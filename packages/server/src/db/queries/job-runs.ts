import { and, desc, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { jobRuns } from '../schema.ts';

export type JobRunState = 'queued' | 'running' | 'succeeded' | 'failed';

export type JobRun = {
  id: string;
  job: string;
  occurrence: Date | null;
  trigger: 'schedule' | 'manual';
  state: JobRunState;
  attempts: number;
  queuedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  durationMs: number | null;
  result: Record<string, unknown> | null;
  error: string | null;
  requestedBy: string | null;
};

const runColumns = {
  id: jobRuns.id,
  job: jobRuns.job,
  occurrence: jobRuns.occurrence,
  trigger: jobRuns.trigger,
  state: jobRuns.state,
  attempts: jobRuns.attempts,
  queuedAt: jobRuns.queuedAt,
  startedAt: jobRuns.startedAt,
  finishedAt: jobRuns.finishedAt,
  durationMs: jobRuns.durationMs,
  result: jobRuns.result,
  error: jobRuns.error,
  requestedBy: jobRuns.requestedBy,
};

/**
 * Records a run unless one exists for the same job and occurrence (the unique index decides between
 * replicas). Returns the run either way.
 */
export async function claimRun(
  db: Database,
  run: { id: string; job: string; occurrence: Date | null; requestedBy?: string | null },
): Promise<JobRun> {
  const [inserted] = await db
    .insert(jobRuns)
    .values({
      id: run.id,
      job: run.job,
      occurrence: run.occurrence,
      trigger: run.occurrence ? 'schedule' : 'manual',
      requestedBy: run.requestedBy ?? null,
    })
    .onConflictDoNothing()
    .returning(runColumns);
  if (inserted) return inserted;
  const existing = await getRun(db, run.id);
  if (existing) return existing;
  // same job and occurrence under another id cannot happen (the id is derived from both); be explicit
  throw new Error(`job run ${run.job}@${run.occurrence?.toISOString()} exists under another id`);
}

export async function getRun(db: Database, id: string): Promise<JobRun | null> {
  const [row] = await db.select(runColumns).from(jobRuns).where(eq(jobRuns.id, id));
  return row ?? null;
}

/** Marks an attempt as started; null when the run is unknown or already finished (nothing to do). */
export async function startAttempt(db: Database, id: string): Promise<JobRun | null> {
  const [row] = await db
    .update(jobRuns)
    .set({ state: 'running', attempts: sql`${jobRuns.attempts} + 1`, startedAt: sql`now()`, error: null })
    .where(and(eq(jobRuns.id, id), inArray(jobRuns.state, ['queued', 'running'])))
    .returning(runColumns);
  return row ?? null;
}

export async function finishRun(
  db: Database,
  id: string,
  outcome:
    | { state: 'succeeded'; durationMs: number; result: Record<string, unknown> }
    | { state: 'failed' | 'queued'; durationMs: number; error: string },
): Promise<void> {
  await db
    .update(jobRuns)
    .set({
      state: outcome.state,
      durationMs: Math.round(outcome.durationMs),
      finishedAt: outcome.state === 'queued' ? null : sql`now()`,
      result: 'result' in outcome ? outcome.result : null,
      error: 'error' in outcome ? outcome.error.slice(0, 2000) : null,
    })
    .where(eq(jobRuns.id, id));
}

/** Runs recorded as running whose attempt started before `before` (their replica may have died). */
export async function staleRunningRuns(db: Database, before: Date): Promise<JobRun[]> {
  return db
    .select(runColumns)
    .from(jobRuns)
    .where(and(eq(jobRuns.state, 'running'), lt(jobRuns.startedAt, before)));
}

/** Whether an attempt of `job` is under way, started at or after `since` (older ones have timed out). */
export async function hasRunningRun(db: Database, job: string, since: Date): Promise<boolean> {
  const [row] = await db
    .select({ id: jobRuns.id })
    .from(jobRuns)
    .where(and(eq(jobRuns.job, job), eq(jobRuns.state, 'running'), gte(jobRuns.startedAt, since)))
    .limit(1);
  return row !== undefined;
}

/** Scheduled runs still waiting to be handed to the queue (a replica may have stopped in between). */
export async function queuedScheduledRuns(db: Database): Promise<JobRun[]> {
  return db
    .select(runColumns)
    .from(jobRuns)
    .where(and(eq(jobRuns.state, 'queued'), eq(jobRuns.trigger, 'schedule')));
}

/** The newest runs of a job, newest first. */
export async function listRuns(db: Database, job: string, limit = 20): Promise<JobRun[]> {
  return db
    .select(runColumns)
    .from(jobRuns)
    .where(eq(jobRuns.job, job))
    .orderBy(desc(jobRuns.queuedAt), desc(jobRuns.id))
    .limit(limit);
}
