import type { Services } from '../services.ts';
import type { JobName } from './config.ts';
import type { Clock } from './occurrence.ts';

/** What a job body receives: the server's services, the clock it must use for "now", and its run. */
export type JobContext = {
  services: Services;
  clock: Clock;
  runId: string;
  /** 1 for the first attempt */
  attempt: number;
};

/**
 * One scheduled job. `run` must leave no half-written state when its process dies part-way (write in one
 * transaction, or in steps that are each complete and idempotent), because the queue runs it again on
 * another replica; it returns a small summary that is stored with the run.
 */
export type JobDefinition = {
  name: JobName;
  /** one line for `ethcast jobs list` and the admin page */
  description: string;
  run(context: JobContext): Promise<Record<string, unknown>>;
};
