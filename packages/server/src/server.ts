import type { FastifyInstance } from 'fastify';
import type { DbHandle } from './db/client.ts';
import { openDatabase } from './db/open.ts';
import { describeTakeover, type TakeoverReport } from './db/takeover/takeover.ts';
import type { ServerConfig } from './env.ts';
import { safeErrorSummary } from './errors.ts';
import { createHttpServer, type HttpOptions } from './http.ts';
import { JobEngine, type JobLog } from './jobs/engine.ts';
import type { Clock } from './jobs/occurrence.ts';
import { jobDefinitions } from './jobs/registry.ts';
import { createServices, type Services, type ServicesOptions } from './services.ts';

// Built in services.ts (the composition root); named here too for the callers that import them from here.

export type JobsOptions = {
  clock?: Clock;
  /** pg-boss's schema (tests on the shared embedded database use one each) */
  bossSchema?: string;
  jobLog?: JobLog;
};

export type RunningServer = {
  app: FastifyInstance;
  services: Services;
  /** the job engine started with the server (`services.jobs`); null when JOBS=off */
  jobs: JobEngine | null;
  /** http://host:port actually bound (port 0 resolves to the real port) */
  url: string;
  /** stops accepting, lets in-flight requests finish, then closes the database */
  close(): Promise<void>;
};

/** Opens (and migrates) the database, builds the app and listens. */
export async function startServer(
  config: ServerConfig,
  options: HttpOptions & JobsOptions & ServicesOptions & { dbHandle?: DbHandle } = {},
): Promise<RunningServer> {
  let takeover: TakeoverReport | null = null;
  const dbHandle =
    options.dbHandle ??
    (await openDatabase(config, {
      onMigrated: (report) => {
        takeover = report.takeover;
      },
    }));
  const services = createServices(config, dbHandle, {
    clock: options.clock,
    sessionCacheMs: options.sessionCacheMs,
  });
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
  let jobs: JobEngine | null = null;
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
    jobs = engine;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  let closing: Promise<void> | null = null;
  return {
    app,
    services,
    jobs,
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
