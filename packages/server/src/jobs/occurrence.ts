import { createHash } from 'node:crypto';
import cronParser from 'cron-parser';

/** The clock jobs read ("which occurrence is due", "which day has closed"); tests pass their own. */
export type Clock = () => Date;
export const systemClock: Clock = () => new Date();

/** The most recent time at or before `now` that the cron expression (UTC) fires. */
export function latestOccurrence(cron: string, now: Date): Date {
  // prev() is strictly before currentDate: step 1 ms past now so an occurrence at exactly `now` counts
  return cronParser
    .parseExpression(cron, { currentDate: new Date(now.getTime() + 1), tz: 'UTC' })
    .prev()
    .toDate();
}

/** The first time after `now` that the cron expression (UTC) fires. */
export function nextOccurrence(cron: string, now: Date): Date {
  return cronParser.parseExpression(cron, { currentDate: now, tz: 'UTC' }).next().toDate();
}

/**
 * The run id of a job's scheduled occurrence: the same on every replica, so the run row (unique) and the
 * pg-boss job (same id) are each created once however many replicas see the occurrence come due.
 */
export function scheduledRunId(job: string, occurrence: Date): string {
  const hex = createHash('sha256').update(`${job}@${occurrence.toISOString()}`).digest('hex');
  // PostgreSQL's uuid type (pg-boss's job id) takes any 32 hex digits in the 8-4-4-4-12 shape
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
