import cronParser from 'cron-parser';
import { z } from 'zod';

/** The scheduled jobs, in the order a day's runs go: prices first, then scores, then calibration. */
export const JOB_NAMES = ['sync-prices', 'score-forecasts', 'recalibrate'] as const;
export type JobName = (typeof JOB_NAMES)[number];

export const isJobName = (name: string): name is JobName => (JOB_NAMES as readonly string[]).includes(name);

/** One line per job for `ethcast jobs list` and the admin page. */
export const JOB_DESCRIPTIONS: Record<JobName, string> = {
  'sync-prices': 'fetch the closed days of every tracked symbol from the exchange',
  'score-forecasts': 'score the stored forecasts whose days have actual closes now',
  recalibrate: "move each model's interval calibration forward with the newest outcomes (online ACI)",
};

/**
 * Default schedules (cron, UTC). A UTC day closes at 00:00; exchanges publish its candle within a minute
 * or two, so prices sync at 00:05, the forecasts whose days just got a close are scored at 00:15, and
 * the calibration moves forward with those outcomes at 00:30.
 */
export const DEFAULT_SCHEDULES: Record<JobName, string> = {
  'sync-prices': '5 0 * * *',
  'score-forecasts': '15 0 * * *',
  recalibrate: '30 0 * * *',
};

/** The environment variable holding each job's schedule. */
export const SCHEDULE_VARIABLES = {
  'sync-prices': 'JOB_SYNC_PRICES',
  'score-forecasts': 'JOB_SCORE_FORECASTS',
  recalibrate: 'JOB_RECALIBRATE',
} as const satisfies Record<JobName, string>;

export type JobsConfig = {
  /** false: no worker and no schedule in this process (manual runs answer JOBS_DISABLED) */
  enabled: boolean;
  /** cron expression (UTC) per job; null = switched off */
  schedules: Record<JobName, string | null>;
  /** how often a replica looks for due runs and for queued work */
  pollSeconds: number;
  /** attempts after the first failure, with exponential backoff from retryDelaySeconds */
  retryLimit: number;
  retryDelaySeconds: number;
  /** a run still active after this long (its replica died) is failed and retried on another replica */
  timeoutSeconds: number;
};

export function isValidCron(expression: string): boolean {
  try {
    cronParser.parseExpression(expression, { tz: 'UTC' });
    return expression.trim().split(/\s+/).length >= 5;
  } catch {
    return false;
  }
}

const schedule = z
  .string()
  .trim()
  .refine((v) => v === 'off' || isValidCron(v), {
    message: 'must be a cron expression (UTC) like "5 0 * * *", or "off"',
  })
  .optional();
const seconds = (min: number, max: number) =>
  z.coerce.number({ message: 'must be a number' }).min(min, `must be at least ${min}`).max(max);

export const jobsEnvSchema = {
  JOBS: z.enum(['on', 'off']).optional(),
  JOB_SYNC_PRICES: schedule,
  JOB_SCORE_FORECASTS: schedule,
  JOB_RECALIBRATE: schedule,
  JOBS_POLL_SECONDS: seconds(0.5, 3600).default(15),
  JOBS_RETRY_LIMIT: z.coerce.number({ message: 'must be a number' }).int().min(0).max(20).default(3),
  JOBS_RETRY_DELAY_SECONDS: seconds(1, 86_400).default(60),
  // pg-boss refuses expirations of 24 hours or more
  JOBS_TIMEOUT_SECONDS: seconds(1, 86_000).default(900),
};

type JobsEnv = { NODE_ENV: string } & z.infer<z.ZodObject<typeof jobsEnvSchema>>;

export function jobsConfigFrom(e: JobsEnv): JobsConfig {
  const scheduleOf = (name: JobName) => {
    const value = e[SCHEDULE_VARIABLES[name]];
    return value === 'off' ? null : (value ?? DEFAULT_SCHEDULES[name]);
  };
  return {
    // tests start servers by the dozen: jobs only where a test turns them on
    enabled: e.JOBS ? e.JOBS === 'on' : e.NODE_ENV !== 'test',
    schedules: {
      'sync-prices': scheduleOf('sync-prices'),
      'score-forecasts': scheduleOf('score-forecasts'),
      recalibrate: scheduleOf('recalibrate'),
    },
    pollSeconds: e.JOBS_POLL_SECONDS,
    retryLimit: e.JOBS_RETRY_LIMIT,
    retryDelaySeconds: Math.round(e.JOBS_RETRY_DELAY_SECONDS),
    timeoutSeconds: Math.round(e.JOBS_TIMEOUT_SECONDS),
  };
}
