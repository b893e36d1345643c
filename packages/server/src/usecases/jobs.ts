import { type JobRun, listRuns } from '../db/queries/job-runs.ts';
import { actions } from '../domain/actions.ts';
import { fail } from '../domain/errors.ts';
import { isJobName } from '../jobs/config.ts';
import { jobsOverview } from '../jobs/overview.ts';
import type { Services } from '../services.ts';
import { actorOf, audit } from './audit.ts';
import { requireAdmin, type Viewer } from './viewer.ts';

/** Admins: every job with its schedule (off = null), next occurrence and latest run. */
export async function listJobs(services: Services, viewer: Viewer) {
  requireAdmin(viewer);
  return {
    enabled: services.jobs !== null,
    jobs: await jobsOverview(services, services.clock()),
  };
}

/** Admins: a job's recent runs, newest first. */
export async function listJobRuns(
  services: Services,
  viewer: Viewer,
  input: { name: string; limit: number },
): Promise<JobRun[]> {
  requireAdmin(viewer);
  if (!isJobName(input.name)) fail('UNKNOWN_JOB', { job: input.name });
  return listRuns(services.db, input.name, input.limit);
}

/** Admins run a job now (also one whose schedule is off); answers when it has finished, and logs it. */
export async function runJobNow(
  services: Services,
  viewer: Viewer,
  input: { name: string },
): Promise<JobRun> {
  const admin = requireAdmin(viewer);
  if (!isJobName(input.name)) fail('UNKNOWN_JOB', { job: input.name });
  if (!services.jobs) fail('JOBS_DISABLED');
  const run = await services.jobs.runNow(input.name, admin?.username ?? null);
  await audit(services.db, actorOf(viewer), actions.jobRun(input.name, run.state));
  return run;
}
