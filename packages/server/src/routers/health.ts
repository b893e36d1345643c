import { checkReadiness } from '../db/readiness.ts';
import { fail } from '../domain/errors.ts';
import { healthOutput } from '../schemas/health.ts';
import type { Services } from '../services.ts';
import { publicProcedure } from '../trpc.ts';

/** How long a load balancer or client should wait before asking again when not ready. */
export const NOT_READY_RETRY_AFTER_SECONDS = 5;

/**
 * Readiness, as `GET /ready` and the tRPC `health` answer it: ready only when the database answers and
 * holds exactly the migrations this build expects.
 */
export async function readinessReport(services: Services) {
  const readiness = await checkReadiness(services.dbHandle, services.expectedMigrations);
  return {
    ...readiness,
    status: readiness.ready ? ('ok' as const) : ('unavailable' as const),
    driver: services.dbHandle.driver,
    version: services.version,
    uptimeSeconds: Math.round((Date.now() - services.startedAt.getTime()) / 1000),
  };
}

/** Status, database and migrations, server version; 503 NOT_READY when not ready, like `GET /ready`. */
export const health = publicProcedure.output(healthOutput).query(async ({ ctx }) => {
  const report = await readinessReport(ctx);
  if (!report.ready) {
    fail('NOT_READY', {
      database: report.database,
      migrations: report.migrations,
      retryAfterSeconds: NOT_READY_RETRY_AFTER_SECONDS,
    });
  }
  return { ...report, status: 'ok' as const, database: 'up' as const, time: new Date() };
});
