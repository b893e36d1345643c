import type { Database } from '../db/client.ts';
import { type JobRun, listRuns } from '../db/queries/job-runs.ts';
import { JOB_DESCRIPTIONS, JOB_NAMES, type JobName, type JobsConfig } from './config.ts';
import { nextOccurrence } from './occurrence.ts';

export type JobOverview = {
  name: JobName;
  description: string;
  /** the cron expression (UTC), null when switched off */
  schedule: string | null;
  nextRunAt: Date | null;
  lastRun: JobRun | null;
};

/**
 * Every job with its schedule, next occurrence and latest run (recorded by whichever replica ran it).
 * Works without a running engine too: the runs are in the database.
 */
export async function jobsOverview(
  services: { db: Database; config: { jobs: JobsConfig } },
  now: Date,
): Promise<JobOverview[]> {
  const out: JobOverview[] = [];
  for (const name of JOB_NAMES) {
    const schedule = services.config.jobs.enabled ? services.config.jobs.schedules[name] : null;
    const [lastRun] = await listRuns(services.db, name, 1);
    out.push({
      name,
      description: JOB_DESCRIPTIONS[name],
      schedule,
      nextRunAt: schedule ? nextOccurrence(schedule, now) : null,
      lastRun: lastRun ?? null,
    });
  }
  return out;
}
