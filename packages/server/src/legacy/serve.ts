import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ZodError, type z } from 'zod';
import { DomainError } from '../domain/errors.ts';
import type { Services } from '../services.ts';
import { domainErrorOf } from '../trpc.ts';
import { requireAdmin, requireUser, type Viewer } from '../usecases/viewer.ts';
import { callerForRequest } from './caller.ts';
import {
  failureOf,
  fastifyFailure,
  genericEntry,
  isLegacy,
  sendDetail,
  sendFailure,
  type Wording,
} from './failure-answer.ts';
import { classify, type Failure } from './failures.ts';
import { pickLanguage } from './language.ts';
import { type Body, coerceBody, locator, readBody, readParams } from './request-input.ts';
import type { LegacyRoute } from './route.ts';

/** The path as Fastify writes it, and its twin with or without the trailing slash. */
export function fastifyPaths(path: string): [canonical: string, twin: string] {
  const url = path.replace(/\{(\w+)\}/g, ':$1');
  return [url, url.endsWith('/') ? url.slice(0, -1) : `${url}/`];
}

/** Methods a legacy path answers 405 to (FastAPI's router matched the path, not the method). */
const OTHER_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH'] as const;

/** The request headers the legacy routes read, allowed in a CORS preflight. */
const ALLOWED_HEADERS = 'Authorization, Content-Type, Accept, X-Ethcast-Language';

/**
 * Counts and times a legacy route's call under its procedure's name in /metrics, as the procedure's own
 * calls are counted on /trpc (the /api face goes through the procedures, which count themselves).
 */
async function measured<T>(services: Services, route: LegacyRoute, run: () => Promise<T>): Promise<T> {
  if (route.errors === 'api') return run();
  const started = performance.now();
  let outcome = 'ok';
  try {
    return await run();
  } catch (error) {
    outcome = outcomeOf(domainErrorOf(error, route.access !== 'anyone') ?? error);
    throw error;
  } finally {
    const type = route.method === 'GET' ? 'query' : 'mutation';
    services.metrics?.request(
      route.procedures[0] ?? route.path,
      type,
      outcome,
      (performance.now() - started) / 1000,
    );
  }
}

const outcomeOf = (error: unknown) =>
  error instanceof DomainError
    ? error.kind
    : error instanceof ZodError
      ? 'BAD_REQUEST'
      : 'INTERNAL_SERVER_ERROR';

/**
 * 401 without a live session, 403 for a user on an admin route: before input is even looked at, by the
 * same checks every face and use case makes (usecases/viewer.ts).
 */
function accessFailure(route: LegacyRoute, viewer: Viewer): Failure | null {
  if (route.access === 'anyone') return null;
  try {
    if (route.access === 'admin') requireAdmin(viewer);
    else requireUser(viewer);
    return null;
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return failureOf(error.kind === 'FORBIDDEN' ? 403 : 401, error.reason);
  }
}

/** `/users/get/` matches `/users/get/:username` with an empty name; FastAPI's paths did not match it. */
const hasEmptyParam = (req: FastifyRequest) =>
  Object.values((req.params ?? {}) as Record<string, string>).some((value) => value === '');

/** FastAPI's unknown path (the app's not-found handler would see this URL's routes and say 405). */
const notFound = (reply: FastifyReply) =>
  reply.code(404).header('Cache-Control', 'no-store').send({ detail: 'Not Found' });

const takesBody = (method: string) => method === 'POST' || method === 'PUT';

/** A CORS preflight from an origin in CORS_ORIGINS (the global CORS hook has set its allow-origin). */
function answerPreflight(req: FastifyRequest, reply: FastifyReply, methods: string[], origins: string[]) {
  const origin = req.headers.origin;
  const allowed = !!origin && origins.includes(origin);
  if (!allowed || !req.headers['access-control-request-method']) return false;
  reply
    .code(204)
    .header('Access-Control-Allow-Methods', [...methods, 'OPTIONS'].join(', '))
    .header('Access-Control-Allow-Headers', ALLOWED_HEADERS)
    .header('Access-Control-Max-Age', '600')
    .header('Content-Length', '0')
    .send();
  return true;
}

/**
 * Registers REST routes in their own scope: their body parser, error handler and hooks touch nothing
 * else. The legacy routes answer as FastAPI did: a body is read only where the route takes one (any
 * content type, an empty one included, is ignored elsewhere), the other slash form of a path is a 307 to
 * it, another method is 405 with `Allow`, and invalid input is 422 `{"detail": [{loc, msg, type}]}`.
 */
export async function serveRoutes(app: FastifyInstance, services: Services, routes: LegacyRoute[]) {
  const origins = services.config.corsOrigins;
  await app.register(async (scope) => {
    // Bodies arrive as text and are read by the handler of a route that takes one.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
    // Lets a browser client on an allowed origin (CORS_ORIGINS) read the reason code and paging cursor.
    scope.addHook('onSend', async (_req, reply, payload) => {
      reply.header('Access-Control-Expose-Headers', 'X-Error-Reason, X-Next-Cursor, Retry-After');
      return payload;
    });
    scope.setErrorHandler((error: { statusCode?: number; code?: string }, req, reply) => {
      const wording = (req.routeOptions.config as { wording?: Wording }).wording ?? { errors: 'error' };
      return sendFailure(req, reply, fastifyFailure(error), wording);
    });

    const methodsByPath = new Map<string, string[]>();
    for (const route of routes) {
      methodsByPath.set(route.path, [...(methodsByPath.get(route.path) ?? []), route.method]);
    }

    for (const route of routes) {
      const wording: Wording = {
        errors: route.errors,
        entity: route.entity,
        byKind: route.byKind,
        statusByReason: route.statusByReason,
      };
      const legacy = isLegacy(wording);
      // read back by the scope's error handler (Fastify's own refusals, in the route's words)
      const config = { wording } as Record<string, unknown>;
      const [canonical, twin] = fastifyPaths(route.path);
      const handler = async (req: FastifyRequest, reply: FastifyReply) => {
        if (legacy && hasEmptyParam(req)) return notFound(reply);
        const language = pickLanguage(req);
        let locate = genericEntry;
        let signedIn = false;
        try {
          const { call, session, viewer } = await callerForRequest(services, req);
          signedIn = session !== null;
          const denied = legacy ? accessFailure(route, viewer) : null;
          if (denied) return sendFailure(req, reply, denied, wording, language);
          const params = legacy
            ? readParams(route, req.params as Record<string, string>)
            : ({ ok: true, params: req.params as Record<string, string>, absent: false } as const);
          if (!params.ok) return sendFailure(req, reply, params.failure, wording, language);
          const read: Body = takesBody(route.method) ? readBody(req, legacy) : { ok: true, body: {} };
          if (!read.ok) return sendFailure(req, reply, read.failure, wording, language);
          const body =
            legacy && route.body
              ? coerceBody(read.body, route.body.shape as Record<string, z.ZodType>)
              : read.body;
          locate = locator(route, body);
          if (params.absent) return sendFailure(req, reply, failureOf(404, 'NOT_FOUND'), wording, language);
          const answer = await measured(services, route, () =>
            route.handle({
              call,
              services,
              viewer,
              params: params.params,
              query: req.query as Record<string, string | undefined>,
              body,
              language,
              setHeader: (name, value) => reply.header(name, value),
            }),
          );
          reply.header('Content-Language', language === 'pt' ? 'pt-BR' : 'en');
          return reply.code(route.status).header('Cache-Control', 'no-store').send(answer);
        } catch (error) {
          // as on /trpc: an unreachable database is 503, a write for a user deleted meanwhile is 401
          const failure = classify(domainErrorOf(error, signedIn) ?? error);
          return sendFailure(req, reply, failure, wording, language, locate);
        }
      };

      if (!legacy) {
        for (const url of [canonical, twin]) {
          scope.route({ method: route.method, url, config, handler });
        }
        continue;
      }
      scope.route({ method: route.method, url: canonical, config, handler });
      if (methodsByPath.get(route.path)?.[0] !== route.method) continue;
      // Once per path: the other methods, OPTIONS (CORS preflight) and the twin.
      const methods = methodsByPath.get(route.path) ?? [];
      // a GET route answers HEAD too (Fastify's exposeHeadRoute), where FastAPI answered 405
      const notAllowed = OTHER_METHODS.filter(
        (m) => !methods.includes(m) && !(m === 'HEAD' && methods.includes('GET')),
      );
      // @fastify/cors answers preflights itself only for its own OPTIONS route: these answer them here
      // with this path's methods, and any other OPTIONS like FastAPI (405).
      const answerOthers = (
        others: readonly (typeof OTHER_METHODS)[number][],
        url: string,
        answer: (req: FastifyRequest, reply: FastifyReply) => unknown,
      ) =>
        scope.route({
          method: [...others, 'OPTIONS'],
          url,
          config: { wording, cors: { preflight: false } },
          exposeHeadRoute: false,
          handler: async (req, reply) => {
            if (hasEmptyParam(req)) return notFound(reply);
            if (req.method === 'OPTIONS' && answerPreflight(req, reply, methods, origins)) return reply;
            return answer(req, reply);
          },
        });
      answerOthers(notAllowed, canonical, (_req, reply) => {
        reply.header('Allow', methods.join(', '));
        return sendDetail(reply, 405, 'Method Not Allowed', 'METHOD_NOT_SUPPORTED');
      });
      answerOthers(OTHER_METHODS, twin, (req, reply) => {
        const [path = '', query] = req.url.split(/\?(.*)/s, 2);
        const target = path.endsWith('/') ? path.slice(0, -1) : `${path}/`;
        return reply
          .code(307)
          .header('Location', query ? `${target}?${query}` : target)
          .header('Content-Length', '0')
          .send();
      });
    }
  });
}
