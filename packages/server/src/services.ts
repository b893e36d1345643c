import type { ModelRegistry } from '@ethcast/forecast';
import type { PasswordWork } from './auth/password-work.ts';
import type { SessionCache } from './auth/session-cache.ts';
import type { DbHandle } from './db/client.ts';
import type { MigrationStamp } from './db/readiness.ts';
import type { ServerConfig } from './env.ts';
import type { ForecastGate } from './forecasts/forecast-gate.ts';
import type { JobEngine } from './jobs/engine.ts';
import type { Clock } from './jobs/occurrence.ts';
import type { ServerMetrics } from './metrics/server-metrics.ts';

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
  jobs: JobEngine | null;
  /** Prometheus metrics of this process */
  metrics: ServerMetrics;
};
