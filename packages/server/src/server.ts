import { loadRegistry } from '@ethcast/forecast';
import type { FastifyInstance } from 'fastify';
import packageJson from '../package.json' with { type: 'json' };
import { PasswordWork } from './auth/password-work.ts';
import { SessionCache } from './auth/session-cache.ts';
import type { Services } from './context.ts';
import type { DbHandle } from './db/client.ts';
import { openDatabase } from './db/open.ts';
import { expectedMigrations } from './db/readiness.ts';
import { describeTakeover, type TakeoverReport } from './db/takeover/takeover.ts';
import type { ServerConfig } from './env.ts';
import { safeErrorSummary } from './errors.ts';
import { ForecastGate } from './forecasts/forecast-gate.ts';
import { createHttpServer, type HttpOptions } from './http.ts';
import { JobEngine, type JobLog } from './jobs/engine.ts';
import { type Clock, systemClock } from './jobs/occurrence.ts';
import { jobDefinitions } from './jobs/registry.ts';
import { ServerMetrics } from './metrics/server-metrics.ts';
import { migrationsDir } from './paths.ts';

export const SERVER_VERSION: string = packageJson.version;

export function createServices(
  config: ServerConfig,
  dbHandle: DbHandle,
  options: { clock?: Clock } = {},
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
    sessions: new SessionCache(),
    expectedMigrations: expectedMigrations(migrationsDir()),
    clock: options.clock ?? systemClock,
    jobs: null,
    metrics: new ServerMetrics(() => dbHandle.poolStats()),
  };
}

export type JobsOptions = {
  clock?: Clock;
  /** pg-boss's schema (tests on the shared embedded database use one each) */
  bossSchema?: string;
  jobLog?: JobLog;
};

export type RunningServer = {
  app: FastifyInstance;
  services: Services;
  /** http://host:port actually bound (port 0 resolves to the real port) */
  url: string;
  /** stops accepting, lets in-flight requests finish, then closes the database */
  close(): Promise<void>;
};

/** Opens (and migrates) the database, builds the app and listens. */
export async function startServer(
  config: ServerConfig,
  options: HttpOptions & JobsOptions & { dbHandle?: DbHandle } = {},
): Promise<RunningServer> {
  let takeover: TakeoverReport | null = null;
  const dbHandle =
    options.dbHandle ??
    (await openDatabase(config, {
      onMigrated: (report) => {
        takeover = report.takeover;
      },
    }));
  const services = createServices(config, dbHandle, { clock: options.clock });
  const app = await createHttpServer(services, options);
  if (takeover) app.log.warn({ takeover }, describeTakeover(takeover));
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    await app.close().catch(() => {});
    if (!options.dbHandle) await dbHandle.close().catch(() => {});
    throw error;
  }
  // Warm the model registry in the background so the first forecast does not pay for loading.
  services
    .models()
    .catch((error: unknown) =>
      app.log.error({ err: safeErrorSummary(error) }, 'model registry failed to load'),
    );
  if (config.jobs.enabled) {
    const engine = new JobEngine(services, jobDefinitions, {
      clock: services.clock,
      bossSchema: options.bossSchema,
      log: options.jobLog ?? {
        info: (message) => app.log.info(message),
        error: (message) => app.log.error(message),
      },
    });
    try {
      await engine.start();
    } catch (error) {
      await engine.stop().catch(() => {});
      await app.close().catch(() => {});
      if (!options.dbHandle) await dbHandle.close().catch(() => {});
      throw error;
    }
    services.jobs = engine;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  let closing: Promise<void> | null = null;
  return {
    app,
    services,
    url: `http://${host}:${port}`,
    close() {
      closing ??= (async () => {
        await app.close();
        await services.jobs?.stop();
        await services.passwords.close();
        if (!options.dbHandle) await dbHandle.close();
      })();
      return closing;
    },
  };
}
