import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Services, Session } from '../context.ts';
import { safeErrorSummary } from '../errors.ts';
import { baseOf } from '../validation.ts';
import { callerForRequest } from './caller.ts';
import {
  classify,
  type Entity,
  type Failure,
  failureMessage,
  type InputIssue,
  retryAfterSeconds,
} from './failures.ts';
import { type Language, pickLanguage } from './language.ts';
import type { ErrorStyle, LegacyRoute } from './route.ts';

type Wording = {
  errors: ErrorStyle;
  entity?: Entity | undefined;
  byKind?: LegacyRoute['byKind'];
  statusByReason?: LegacyRoute['statusByReason'];
};

/** The path as Fastify writes it, and its twin with or without the trailing slash. */
export function fastifyPaths(path: string): [canonical: string, twin: string] {
  const url = path.replace(/\{(\w+)\}/g, ':$1');
  return [url, url.endsWith('/') ? url.slice(0, -1) : `${url}/`];
}

/** Methods a legacy path answers 405 to (FastAPI's router matched the path, not the method). */
const OTHER_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH'] as const;

/** The request headers the legacy routes read, allowed in a CORS preflight. */
const ALLOWED_HEADERS = 'Authorization, Content-Type, Accept, X-Ethcast-Language';

const failureOf = (status: number, reason: string, fields: Record<string, string> = {}): Failure => ({
  status,
  reason,
  params: {},
  fields,
  detail: null,
  internal: false,
  cause: null,
});

/** A FastAPI validation error entry: where (`body`/`path`/`query`, then the field), what, which kind. */
export type DetailEntry = {
  loc: (string | number)[];
  msg: string;
  type: string;
  ctx?: Record<string, unknown>;
};

type LegacyFailure = Failure & { legacyDetail?: DetailEntry[] };

const invalid = (detail: DetailEntry[]): LegacyFailure => ({
  ...failureOf(422, 'INVALID_INPUT'),
  fields: Object.fromEntries(detail.map((d) => [d.loc.slice(1).join('.') || d.loc[0], d.msg])),
  legacyDetail: detail,
});

const isLegacy = (wording: Wording) => wording.errors !== 'api';

/** FastAPI's own answers: 404/405 `{"detail": "…"}` and 422 `{"detail": [{loc, msg, type}]}`. */
function sendDetail(reply: FastifyReply, status: number, detail: unknown, reason: string) {
  return reply
    .code(status)
    .header('X-Error-Reason', reason)
    .header('Cache-Control', 'no-store')
    .send({ detail });
}

export function sendFailure(
  req: FastifyRequest,
  reply: FastifyReply,
  failure: LegacyFailure,
  wording: Wording,
  language: Language = pickLanguage(req),
  locate: (issue: InputIssue) => DetailEntry = genericEntry,
) {
  if (failure.internal) req.log.error({ err: safeErrorSummary(failure.cause) }, 'REST route failed');
  if (isLegacy(wording) && failure.status === 422) {
    const detail =
      failure.legacyDetail ??
      (failure.issues?.length
        ? failure.issues.map(locate)
        : [{ loc: ['body'], msg: failureMessage(failure, 'en'), type: 'value_error' }]);
    return sendDetail(reply, 422, detail, failure.reason);
  }
  const status = (isLegacy(wording) && wording.statusByReason?.[failure.reason]) || failure.status;
  const message = failureMessage(failure, language, wording.entity, wording.byKind);
  reply.code(status).header('X-Error-Reason', failure.reason).header('Cache-Control', 'no-store');
  reply.header('Content-Language', language === 'pt' ? 'pt-BR' : 'en');
  const retry = retryAfterSeconds(failure);
  if (retry) reply.header('Retry-After', String(retry));
  if (status === 401) reply.header('WWW-Authenticate', 'Bearer');
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

/** Fastify's own refusals (a body too large, …) in the route's words. */
export function fastifyFailure(error: { statusCode?: number; code?: string }): Failure {
  if (error.statusCode === 413) return failureOf(413, 'REQUEST_TOO_LARGE');
  if (error.statusCode === 415) return failureOf(415, 'UNSUPPORTED_MEDIA_TYPE');
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return failureOf(400, 'MALFORMED_REQUEST');
  }
  return { ...failureOf(500, 'INTERNAL'), internal: true, cause: error };
}

/** pydantic's kind of error for a zod issue, so clients that switch on `type` keep working. */
function pydanticType(issue: InputIssue, missing: boolean): string {
  if (missing) return 'value_error.missing';
  if (issue.code === 'invalid_type') {
    const expected = issue.expected ?? '';
    if (expected === 'number' || expected === 'int') return 'type_error.integer';
    if (expected === 'string') return 'type_error.str';
    if (expected === 'boolean') return 'type_error.bool';
    if (expected === 'object') return 'type_error.dict';
    return 'type_error';
  }
  if (issue.code === 'too_small')
    return issue.origin === 'string' ? 'value_error.any_str.min_length' : 'value_error.number.not_ge';
  if (issue.code === 'too_big')
    return issue.origin === 'string' ? 'value_error.any_str.max_length' : 'value_error.number.not_le';
  if (issue.code === 'unrecognized_keys') return 'value_error.extra';
  if (issue.code === 'invalid_value') return 'value_error.const';
  return 'value_error';
}

function genericEntry(issue: InputIssue): DetailEntry {
  return {
    loc: ['body', ...issue.path.map((p) => (typeof p === 'number' ? p : String(p)))],
    msg: issue.message,
    type: pydanticType(issue, false),
  };
}

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * Where a procedure's input field lives in the legacy request (`['path', 'id']`, `['body', 'days']`):
 * the route's own names, with camelCase procedure fields written snake_case as the legacy bodies had them.
 */
function locator(route: LegacyRoute, body: Record<string, unknown>) {
  const inParams = Object.keys(route.params?.shape ?? {});
  const inQuery = Object.keys(route.query?.shape ?? {});
  const aliases = route.fieldNames ?? {};
  return (issue: InputIssue): DetailEntry => {
    const [first, ...rest] = issue.path.map((p) => (typeof p === 'number' ? p : String(p)));
    const field = first === undefined ? undefined : (aliases[String(first)] ?? snake(String(first)));
    const where =
      field && inParams.includes(field) ? 'path' : field && inQuery.includes(field) ? 'query' : 'body';
    const missing = where === 'body' && field !== undefined && rest.length === 0 && body[field] === undefined;
    return {
      loc: field === undefined ? [where] : [where, field, ...rest],
      msg: missing ? 'field required' : issue.message,
      type: pydanticType(issue, missing),
    };
  };
}

const INTEGER = /^\s*[+-]?\d+\s*$/;
const TRUE = new Set(['true', '1', 'yes', 'on', 't', 'y']);
const FALSE = new Set(['false', '0', 'no', 'off', 'f', 'n']);

/**
 * pydantic 1's lax coercion, as the legacy bodies were parsed: digits become an int field's number,
 * a number becomes a str field's text, `"true"`/`1`… a bool field's boolean. Anything else stays as it
 * came, for the procedure's schema to refuse.
 */
function coerceBody(body: Record<string, unknown>, shape: Record<string, z.ZodType>) {
  const out = { ...body };
  for (const [key, value] of Object.entries(body)) {
    const field = shape[key];
    if (!field) continue;
    const base = baseOf(field);
    if (base instanceof z.ZodNumber) {
      if (typeof value === 'string' && INTEGER.test(value)) out[key] = Number(value);
      else if (typeof value === 'boolean') out[key] = Number(value);
    } else if (base instanceof z.ZodString) {
      if (typeof value === 'number' && Number.isFinite(value)) out[key] = String(value);
    } else if (base instanceof z.ZodBoolean) {
      const text =
        typeof value === 'string' ? value.trim().toLowerCase() : value === 1 ? '1' : value === 0 ? '0' : null;
      if (text !== null && TRUE.has(text)) out[key] = true;
      else if (text !== null && FALSE.has(text)) out[key] = false;
    }
  }
  return out;
}

/** A FastAPI-style body: JSON when the content type says so (or says nothing), else unreadable as a dict. */
type Body = { ok: true; body: Record<string, unknown> } | { ok: false; failure: LegacyFailure };

const notADict: DetailEntry = { loc: ['body'], msg: 'value is not a valid dict', type: 'type_error.dict' };

function readBody(req: FastifyRequest, legacy: boolean): Body {
  const raw = typeof req.body === 'string' ? req.body : '';
  if (raw.trim() === '') return { ok: true, body: {} };
  const contentType = req.headers['content-type'];
  const json = !contentType || /^application\/([\w.+-]*\+)?json\s*(;|$)/i.test(contentType);
  if (!json) {
    return legacy
      ? { ok: false, failure: invalid([notADict]) }
      : { ok: false, failure: failureOf(415, 'UNSUPPORTED_MEDIA_TYPE') };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    if (!legacy) return { ok: false, failure: failureOf(400, 'MALFORMED_REQUEST') };
    const text = error instanceof Error ? error.message : 'invalid JSON';
    const pos = Math.min(Number(/position (\d+)/.exec(text)?.[1] ?? raw.length), raw.length);
    const before = raw.slice(0, pos).split('\n');
    // FastAPI echoed the whole body as `doc`; it may hold a password, so it stays empty here
    const ctx = { msg: text, doc: '', pos, lineno: before.length, colno: (before.at(-1)?.length ?? 0) + 1 };
    return {
      ok: false,
      failure: invalid([{ loc: ['body', pos], msg: text, type: 'value_error.jsondecode', ctx }]),
    };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return {
      ok: false,
      failure: legacy
        ? invalid([notADict])
        : failureOf(422, 'INVALID_INPUT', { '(body)': 'must be a JSON object' }),
    };
  }
  return { ok: true, body: parsed as Record<string, unknown> };
}

type Params =
  | { ok: true; params: Record<string, string>; absent: boolean }
  | { ok: false; failure: LegacyFailure };

/**
 * Integer path parameters as pydantic read them: any integer is valid (`-1` too, which cannot exist
 * and so is not found); anything else is 422 `type_error.integer`.
 */
function readParams(route: LegacyRoute, raw: Record<string, string>): Params {
  const params = { ...raw };
  let absent = false;
  for (const [name, schema] of Object.entries(route.params?.shape ?? {})) {
    if (!(baseOf(schema as z.ZodType) instanceof z.ZodNumber)) continue;
    const value = params[name] ?? '';
    if (!INTEGER.test(value)) {
      return {
        ok: false,
        failure: invalid([
          { loc: ['path', name], msg: 'value is not a valid integer', type: 'type_error.integer' },
        ]),
      };
    }
    const id = Number(value);
    if (!Number.isSafeInteger(id) || id <= 0) absent = true;
    else params[name] = String(id);
  }
  return { ok: true, params, absent };
}

/** 401 without a live session, 403 for a user on an admin route: before input is even looked at. */
function accessFailure(route: LegacyRoute, session: Session | null): Failure | null {
  if (route.access === 'anyone') return null;
  if (!session) return failureOf(401, 'UNAUTHENTICATED');
  if (route.access === 'admin' && session.user.role !== 'admin') return failureOf(403, 'ADMIN_ONLY');
  return null;
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
        try {
          const { call, session } = await callerForRequest(services, req);
          const denied = legacy ? accessFailure(route, session) : null;
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
          const answer = await route.handle({
            call,
            params: params.params,
            query: req.query as Record<string, string | undefined>,
            body,
            language,
            setHeader: (name, value) => reply.header(name, value),
          });
          reply.header('Content-Language', language === 'pt' ? 'pt-BR' : 'en');
          return reply.code(route.status).header('Cache-Control', 'no-store').send(answer);
        } catch (error) {
          return sendFailure(req, reply, classify(error), wording, language, locate);
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
      const noPreflight = { cors: { preflight: false } };
      scope.route({
        method: [...notAllowed, 'OPTIONS'],
        url: canonical,
        config: { wording, ...noPreflight },
        exposeHeadRoute: false,
        handler: async (req, reply) => {
          if (hasEmptyParam(req)) return notFound(reply);
          if (req.method === 'OPTIONS' && answerPreflight(req, reply, methods, origins)) return reply;
          reply.header('Allow', methods.join(', '));
          return sendDetail(reply, 405, 'Method Not Allowed', 'METHOD_NOT_SUPPORTED');
        },
      });
      scope.route({
        method: [...OTHER_METHODS, 'OPTIONS'],
        url: twin,
        config: { wording, ...noPreflight },
        exposeHeadRoute: false,
        handler: async (req, reply) => {
          if (hasEmptyParam(req)) return notFound(reply);
          if (req.method === 'OPTIONS' && answerPreflight(req, reply, methods, origins)) return reply;
          const [path = '', query] = req.url.split(/\?(.*)/s, 2);
          const target = path.endsWith('/') ? path.slice(0, -1) : `${path}/`;
          return reply
            .code(307)
            .header('Location', query ? `${target}?${query}` : target)
            .header('Content-Length', '0')
            .send();
        },
      });
    }
  });
}
