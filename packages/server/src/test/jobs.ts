import { randomUUID } from 'node:crypto';
import { dayNumber } from '@ethcast/days';
import { asc } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { claimRun, finishRun, type JobRunFailure, startAttempt } from '../db/queries/job-runs.ts';
import type { PriceRow } from '../db/queries/prices.ts';
import { jobRuns } from '../db/schema.ts';
import { type JobName, SCHEDULE_VARIABLES } from '../jobs/config.ts';
import type { ReplayResponse } from './replay-server.ts';

/**
 * A server's environment with the job engine on, polled every half second, and only the jobs in
 * `scheduled` on their schedules (the others run by hand only); `env` on top.
 */
export const jobsEnv = (scheduled: JobName[] = [], env: Record<string, string> = {}) => ({
  JOBS: 'on',
  JOBS_POLL_SECONDS: '0.5',
  ...Object.fromEntries(
    Object.entries(SCHEDULE_VARIABLES)
      .filter(([job]) => !scheduled.includes(job as JobName))
      .map(([, variable]) => [variable, 'off']),
  ),
  ...env,
});

/** Candles as Coinbase Exchange returns them: [time s, low, high, open, close, volume], newest first. */
export const coinbasePage = (rows: PriceRow[]): ReplayResponse => ({
  status: 200,
  body: rows
    .map((r) => [(dayNumber(r.day) ?? 0) * 86_400, r.low, r.high, r.open, r.close, r.volume])
    .reverse(),
});

/** A clock a test moves by hand. */
export function manualClock(start: string) {
  let now = new Date(start);
  const clock = () => new Date(now);
  return Object.assign(clock, {
    set(to: string) {
      now = new Date(to);
    },
  });
}

/** Polls until `check` returns a value (not undefined/false), failing with `what` after the limit. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  limitMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export function allRuns(db: Database) {
  return db.select().from(jobRuns).orderBy(asc(jobRuns.job), asc(jobRuns.occurrence), asc(jobRuns.queuedAt));
}

/**
 * Records a run of `job` asked for by hand that failed with `error` and `errorReasons` (what the
 * engine stores: its reason codes, JOB_FAILED when none is given), as the engine would.
 */
export async function recordFailedRun(
  db: Database,
  job: string,
  error: string,
  requestedBy = 'admin',
  errorReasons: JobRunFailure[] = [{ reason: 'JOB_FAILED', params: {} }],
) {
  const run = await claimRun(db, { id: randomUUID(), job, occurrence: null, requestedBy });
  await startAttempt(db, run.id);
  await finishRun(db, run.id, { state: 'failed', durationMs: 1200, error, errorReasons });
}
