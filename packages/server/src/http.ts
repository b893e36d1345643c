import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyCors from '@fastify/cors';
import fastifyStatic from '@fastify/static';
import {
  type CreateFastifyContextOptions,
  type FastifyTRPCPluginOptions,
  fastifyTRPCPlugin,
} from '@trpc/server/adapters/fastify';
import Fastify, { type FastifyInstance } from 'fastify';
import { type Context, createContextInner } from './context.ts';
import { DomainError } from './domain/errors.ts';
import { safeErrorSummary } from './errors.ts';
import { cookieJarFor } from './http-context.ts';
import { isJsonPost, MAX_BATCH_SIZE, refuseContentType } from './http-guards.ts';
import { limitConnections, limitRequestBodies } from './http-limits.ts';
import { allowedMethods, refuseMethod, refuseNonTrpcMethod } from './http-methods.ts';
import { registerSecurityHeaders } from './http-security.ts';
import { resolveViewer } from './http-viewer.ts';
import { registerMetricsRoute } from './metrics/route.ts';
import { PRICE_IMPORT_PATH, registerPriceImportRoute } from './prices/import-route.ts';
import { registerRestApi } from './rest.ts';
import { type AppRouter, appRouter } from './router.ts';
import { NOT_READY_RETRY_AFTER_SECONDS, readinessReport } from './routers/health.ts';
import type { Services } from './services.ts';
import { retryAfterSecondsOf, toTRPCError } from './trpc.ts';
import type { Viewer } from './usecases/viewer.ts';

/** proxy-addr's hop count: believe the nearest `hops` addresses of the X-Forwarded-For chain. */
const trustHops =
  (hops: number) =>
  (_address: string, hop: number): boolean =>
    hop < hops;

export type HttpOptions = {
  /** pino logging (default: on at config.logLevel) */
  logger?: boolean;
  /** folder with the built dashboard to serve from `/` (default: none) */
  dashboardDir?: string | null;
  /** where the log lines go (default: stdout); tests read them */
  logStream?: NodeJS.WritableStream;
};

/**
 * Builds the Fastify app: tRPC at /trpc, GET /health (liveness), GET /ready (readiness), GET / and
 * (optionally) the built dashboard.
 */
export async function createHttpServer(
  services: Services,
  options: HttpOptions = {},
): Promise<FastifyInstance> {
  const { config } = services;
  const app = Fastify({
    logger:
      options.logger === false || config.logLevel === 'silent'
        ? false
        : {
            level: config.logLevel,
            ...(options.logStream ? { stream: options.logStream } : {}),
            redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
          },
    // X-Forwarded-For is believed only from the proxies TRUST_PROXY names (off by default): otherwise
    // any client could pick the address the login limits count.
    trustProxy: typeof config.trustProxy === 'number' ? trustHops(config.trustProxy) : config.trustProxy,
    bodyLimit: 1024 * 1024,
    routerOptions: { maxParamLength: 5000 },
    forceCloseConnections: 'idle',
  });

  limitRequestBodies(app.server, config.limits, (url) => url.startsWith(PRICE_IMPORT_PATH));
  limitConnections(app.server, config.limits, config.trustProxy);
  registerSecurityHeaders(app);
  await app.register(fastifyCookie);
  await app.register(fastifyCors, {
    origin: config.corsOrigins.length > 0 ? config.corsOrigins : false,
    credentials: true,
  });

  const createContext = async ({ req, res }: CreateFastifyContextOptions): Promise<Context> => {
    let viewer: Viewer;
    try {
      viewer = await resolveViewer(services, req);
    } catch (error) {
      throw error instanceof DomainError ? toTRPCError(error) : error;
    }
    return createContextInner(services, { viewer, cookies: cookieJarFor(res, config) });
  };

  await app.register(async (trpcScope) => {
    trpcScope.addHook('onRequest', async (req, reply) => {
      if (refuseNonTrpcMethod(req, reply)) return reply;
      if (!isJsonPost(req)) return refuseContentType(reply);
    });

    await trpcScope.register(fastifyTRPCPlugin, {
      prefix: '/trpc',
      trpcOptions: {
        router: appRouter,
        createContext,
        maxBatchSize: MAX_BATCH_SIZE,
        responseMeta({ errors }) {
          const retryAfter = retryAfterSecondsOf(errors);
          return retryAfter === null ? {} : { headers: { 'retry-after': String(retryAfter) } };
        },
        onError({ error, path }) {
          if (error.code === 'INTERNAL_SERVER_ERROR') {
            app.log.error({ path, err: safeErrorSummary(error) }, 'procedure failed');
          }
        },
      } satisfies FastifyTRPCPluginOptions<AppRouter>['trpcOptions'],
    });
  });

  await registerRestApi(app, services);
  await registerPriceImportRoute(app, services);

  // Liveness: the process answers. It never touches the database, so a database outage does not make
  // an orchestrator restart healthy processes.
  app.get('/health', async () => ({
    status: 'ok',
    version: services.version,
    uptimeSeconds: Math.round((Date.now() - services.startedAt.getTime()) / 1000),
  }));

  // Readiness: the database answers and has this build's migrations (the tRPC `health` says the same).
  app.get('/ready', async (_req, reply) => {
    const report = await readinessReport(services);
    if (!report.ready) reply.header('retry-after', String(NOT_READY_RETRY_AFTER_SECONDS));
    return reply.code(report.ready ? 200 : 503).send(report);
  });

  registerMetricsRoute(app, services);

  const dashboardDir = options.dashboardDir;
  const hasDashboard = !!dashboardDir && existsSync(join(dashboardDir, 'index.html'));
  if (hasDashboard) {
    await app.register(fastifyStatic, { root: dashboardDir, wildcard: false, index: false });
  }
  app.get('/', async (req, reply) => {
    // The legacy root answered {"message":"working"}; browsers get the dashboard when it is built.
    if (hasDashboard && req.headers.accept?.includes('text/html')) return reply.sendFile('index.html');
    return { message: 'working' };
  });
  app.setNotFoundHandler((req, reply) => {
    const isPage =
      hasDashboard &&
      req.method === 'GET' &&
      !req.url.startsWith('/trpc') &&
      req.headers.accept?.includes('text/html');
    if (isPage) return reply.sendFile('index.html');
    // a route exists at this URL, for other methods
    const allowed = allowedMethods(app, req.url);
    if (allowed.length > 0) return refuseMethod(req, reply, allowed);
    // FastAPI's answer, which the legacy backend's clients know
    return reply.code(404).send({ detail: 'Not Found' });
  });
  app.setErrorHandler((error: { statusCode?: number; message?: string }, req, reply) => {
    const status =
      error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) req.log.error({ err: safeErrorSummary(error) }, 'request failed');
    return reply
      .code(status)
      .send({ error: status === 500 ? 'Internal server error' : (error.message ?? 'Bad request') });
  });

  return app;
}
