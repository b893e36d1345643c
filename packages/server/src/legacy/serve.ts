import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../context.ts';
import { safeErrorSummary } from '../errors.ts';
import { callerForRequest } from './caller.ts';
import { classify, type Entity, type Failure, failureMessage, retryAfterSeconds } from './failures.ts';
import { type Language, pickLanguage } from './language.ts';
import type { ErrorStyle, LegacyRoute } from './route.ts';

type Wording = { errors: ErrorStyle; entity?: Entity | undefined; byKind?: LegacyRoute['byKind'] };

/** The legacy path and its twin with or without the trailing slash (FastAPI redirected the other one). */
export function fastifyPaths(path: string): string[] {
  const url = path.replace(/\{(\w+)\}/g, ':$1');
  return [url, url.endsWith('/') ? url.slice(0, -1) : `${url}/`];
}

const failureOf = (status: number, reason: string, fields: Record<string, string> = {}): Failure => ({
  status,
  reason,
  params: {},
  fields,
  detail: null,
  internal: false,
  cause: null,
});

export function sendFailure(
  req: FastifyRequest,
  reply: FastifyReply,
  failure: Failure,
  wording: Wording,
  language: Language = pickLanguage(req.headers['accept-language']),
) {
  if (failure.internal) req.log.error({ err: safeErrorSummary(failure.cause) }, 'REST route failed');
  const message = failureMessage(failure, language, wording.entity, wording.byKind);
  reply.code(failure.status).header('X-Error-Reason', failure.reason).header('Cache-Control', 'no-store');
  reply.header('Content-Language', language === 'pt' ? 'pt-BR' : 'en').header('Vary', 'Accept-Language');
  const retry = retryAfterSeconds(failure);
  if (retry) reply.header('Retry-After', String(retry));
  if (failure.status === 401) reply.header('WWW-Authenticate', 'Bearer');
  if (wording.errors === 'flag') return reply.send({ error: true, message });
  if (wording.errors === 'status') return reply.send({ status: 'error', message });
  if (wording.errors === 'api') {
    return reply.send({
      error: message,
      reason: failure.reason,
      params: failure.params,
      fields: failure.fields,
    });
  }
  return reply.send({ error: message });
}

/** Fastify's own refusals (unreadable JSON, a body too large, a form content type) in the route's words. */
export function fastifyFailure(error: { statusCode?: number; code?: string }): Failure {
  if (error.statusCode === 413) return failureOf(413, 'REQUEST_TOO_LARGE');
  if (error.statusCode === 415) return failureOf(415, 'UNSUPPORTED_MEDIA_TYPE');
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return failureOf(400, 'MALFORMED_REQUEST');
  }
  return { ...failureOf(500, 'INTERNAL'), internal: true, cause: error };
}

const takesBody = (method: string) => method === 'POST' || method === 'PUT';
const isJson = (req: FastifyRequest) => /^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '');

/** The JSON body as an object, `{}` when there is none; a failure for anything else. */
type Body = { ok: true; body: Record<string, unknown> } | { ok: false; failure: Failure };

function bodyOf(req: FastifyRequest): Body {
  const body = req.body;
  if (body === undefined || body === null) {
    return req.headers['content-type'] && !isJson(req)
      ? { ok: false, failure: failureOf(415, 'UNSUPPORTED_MEDIA_TYPE') }
      : { ok: true, body: {} };
  }
  if (!isJson(req)) return { ok: false, failure: failureOf(415, 'UNSUPPORTED_MEDIA_TYPE') };
  if (typeof body !== 'object' || Array.isArray(body)) {
    return { ok: false, failure: failureOf(422, 'INVALID_INPUT', { '(body)': 'must be a JSON object' }) };
  }
  return { ok: true, body: body as Record<string, unknown> };
}

/** Registers REST routes in their own scope: their error handler and hooks touch nothing else. */
export async function serveRoutes(app: FastifyInstance, services: Services, routes: LegacyRoute[]) {
  await app.register(async (scope) => {
    // Lets a browser client on an allowed origin (CORS_ORIGINS) read the reason code and paging cursor.
    scope.addHook('onSend', async (_req, reply, payload) => {
      reply.header('Access-Control-Expose-Headers', 'X-Error-Reason, X-Next-Cursor, Retry-After');
      return payload;
    });
    scope.setErrorHandler((error: { statusCode?: number; code?: string }, req, reply) => {
      const wording = (req.routeOptions.config as { wording?: Wording }).wording ?? { errors: 'error' };
      return sendFailure(req, reply, fastifyFailure(error), wording);
    });
    for (const route of routes) {
      const wording: Wording = { errors: route.errors, entity: route.entity, byKind: route.byKind };
      for (const url of fastifyPaths(route.path)) {
        scope.route({
          method: route.method,
          url,
          config: { wording },
          handler: async (req, reply) => {
            const language = pickLanguage(req.headers['accept-language']);
            try {
              const body: Body = takesBody(route.method) ? bodyOf(req) : { ok: true, body: {} };
              if (!body.ok) return sendFailure(req, reply, body.failure, wording, language);
              const call = await callerForRequest(services, req);
              const answer = await route.handle({
                call,
                params: req.params as Record<string, string>,
                query: req.query as Record<string, string | undefined>,
                body: body.body,
                language,
                setHeader: (name, value) => reply.header(name, value),
              });
              reply
                .header('Content-Language', language === 'pt' ? 'pt-BR' : 'en')
                .header('Vary', 'Accept-Language');
              return reply.code(route.status).header('Cache-Control', 'no-store').send(answer);
            } catch (error) {
              return sendFailure(req, reply, classify(error), wording, language);
            }
          },
        });
      }
    }
  });
}
