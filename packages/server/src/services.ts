import { loadRegistry, type ModelRegistry } from '@ethcast/forecast';
import packageJson from '../package.json' with { type: 'json' };
import { PasswordWork } from './auth/password-work.ts';
import { SessionCache } from './auth/session-cache.ts';
import type { DbHandle } from './db/client.ts';
import type { JobRun } from './db/queries/job-runs.ts';
import { expectedMigrations, type MigrationStamp } from './db/readiness.ts';
import type { ServerConfig } from './env.ts';
import { ForecastGate } from './forecasts/forecast-gate.ts';
import { type Clock, systemClock } from './jobs/occurrence.ts';
import { ServerMetrics } from './metrics/server-metrics.ts';
import { migrationsDir } from './paths.ts';

export const SERVER_VERSION: string = packageJson.version;

/**
 * What the rest of the server may ask of the running job engine (jobs/engine.ts implements it). Named
 * here rather than importing the engine, which itself runs on Services: the two would import each other.
 */
export type JobRunner = {
  /** runs a job now, whatever its schedule, and answers its run once finished (or still running) */
  runNow(name: string, requestedBy: string | null): Promise<JobRun>;
  stop(): Promise<void>;
};

/** Long-lived things built once per process and shared by every request. */
export type Services = {
  db: DbHandle['db'];
  dbHandle: DbHandle;
  config: ServerConfig;
  version: string;
  startedAt: Date;
  /** the model registry, loaded once per process on first use */
  models: () => Promise<ModelRegistry>;
  /** the per-user limits and the fair queue every forecast create goes through */
  forecastGate: ForecastGate;
  /** bcrypt's bounded queue: every password hash and check of a request runs through it */
  passwords: PasswordWork;
  /** live sessions looked up in the last half second, by token */
  sessions: SessionCache;
  /** the migrations this build ships: readiness compares the database's with them */
  expectedMigrations: MigrationStamp[];
  /** "now" for the scheduled jobs and what depends on the day (tests pass a controlled clock) */
  clock: Clock;
  /** the scheduled jobs of this process; null when JOBS=off (set once the server has started) */
  jobs: JobRunner | null;
  /** Prometheus metrics of this process */
  metrics: ServerMetrics;
};

export type ServicesOptions = {
  /** "now" for the jobs and the day (default: the system clock) */
  clock?: Clock;
  /**
   * How long a looked-up session is reused (default SESSION_CACHE_MS). Tests stretch it to show that a
   * revocation does not wait for the window to pass.
   */
  sessionCacheMs?: number;
};

/**
 * The composition root: builds the Services of one process from its configuration and its open
 * database. Nothing here is a singleton built on import; the job engine is started by `startServer`
 * once the server listens (server.ts).
 */
export function createServices(
  config: ServerConfig,
  dbHandle: DbHandle,
  options: ServicesOptions = {},
): Services {
  return {
    config,
    db: dbHandle.db,
    dbHandle,
    version: SERVER_VERSION,
    startedAt: new Date(),
    // loadRegistry caches per folder: every request after the first reuses the loaded models
    models: () => loadRegistry(config.modelsDir),
    forecastGate: new ForecastGate(config.forecastLimits, config.predictConcurrency),
    passwords: new PasswordWork(config.bcryptCost, {
      concurrency: config.bcryptConcurrency,
      nice: config.bcryptNice,
    }),
    sessions: new SessionCache(options.sessionCacheMs),
    expectedMigrations: expectedMigrations(migrationsDir()),
    clock: options.clock ?? systemClock,
    jobs: null,
    metrics: new ServerMetrics(() => dbHandle.poolStats()),
  };
}
