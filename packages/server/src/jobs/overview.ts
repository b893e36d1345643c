import type { Database } from '../db/client.ts';
import { type JobRun, listRuns } from '../db/queries/job-runs.ts';
import type { JobName, JobsConfig } from './config.ts';
import type { JobDefinition } from './definition.ts';
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
  definitions: readonly JobDefinition[],
  now: Date,
): Promise<JobOverview[]> {
  const out: JobOverview[] = [];
  for (const definition of definitions) {
    const schedule = services.config.jobs.enabled ? services.config.jobs.schedules[definition.name] : null;
    const [lastRun] = await listRuns(services.db, definition.name, 1);
    out.push({
      name: definition.name,
      description: definition.description,
      schedule,
      nextRunAt: schedule ? nextOccurrence(schedule, now) : null,
      lastRun: lastRun ?? null,
    });
  }
  return out;
}
