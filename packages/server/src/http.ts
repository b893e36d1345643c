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
import type { Context, Services } from './context.ts';
import { findSessionByToken } from './db/queries/sessions.ts';
import { safeErrorSummary } from './errors.ts';
import { cookieJarFor, tokenFromRequest } from './http-context.ts';
import { type AppRouter, appRouter } from './router.ts';

export type HttpOptions = {
  /** pino logging (default: on at config.logLevel) */
  logger?: boolean;
  /** folder with the built dashboard to serve from `/` (default: none) */
  dashboardDir?: string | null;
};

/** Builds the Fastify app: tRPC at /trpc, GET /health, GET / and (optionally) the built dashboard. */
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
            redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
          },
    // proxies in front (load balancers) pass the client address
    trustProxy: config.nodeEnv === 'production',
    bodyLimit: 1024 * 1024,
    routerOptions: { maxParamLength: 5000 },
    forceCloseConnections: 'idle',
  });

  await app.register(fastifyCookie);
  await app.register(fastifyCors, {
    origin: config.corsOrigins.length > 0 ? config.corsOrigins : false,
    credentials: true,
  });

  const createContext = async ({ req, res }: CreateFastifyContextOptions): Promise<Context> => {
    const token = tokenFromRequest(req);
    const session = token ? await findSessionByToken(services.db, token) : null;
    return {
      ...services,
      session,
      token: session ? token : null,
      cookies: cookieJarFor(res, config),
      clientIp: req.ip ?? null,
    };
  };

  await app.register(fastifyTRPCPlugin, {
    prefix: '/trpc',
    trpcOptions: {
      router: appRouter,
      createContext,
      onError({ error, path }) {
        if (error.code === 'INTERNAL_SERVER_ERROR') {
          app.log.error({ path, err: safeErrorSummary(error) }, 'procedure failed');
        }
      },
    } satisfies FastifyTRPCPluginOptions<AppRouter>['trpcOptions'],
  });

  app.get('/health', async (_req, reply) => {
    const up = await services.dbHandle.ping();
    return reply
      .code(up ? 200 : 503)
      .send({ status: up ? 'ok' : 'degraded', database: up ? 'up' : 'down', version: services.version });
  });

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
    return reply.code(404).send({ error: 'Not found' });
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
