import { z } from 'zod';
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from 'zod-openapi';
import type { Reason } from '../domain/errors.ts';
import type { LegacyRoute } from '../legacy/route.ts';
import { reasonsOf, statusOfReason } from './errors.ts';
import { addExamples } from './examples.ts';
import { PRICE_IMPORT_PATH, priceImportOperation } from './price-import.ts';
import { description, rootPaths } from './root-paths.ts';

const message = z.string();
const errorAnswers = {
  error: z.object({ error: message }).meta({ id: 'LegacyError' }),
  flag: z.object({ error: z.literal(true), message }).meta({ id: 'LegacyDeleteError' }),
  status: z.object({ status: z.literal('error'), message }).meta({ id: 'LegacyPredictError' }),
  api: z
    .object({
      error: message,
      reason: z.string().meta({ description: 'stable SCREAMING_SNAKE code, e.g. NOT_FOUND, UNKNOWN_MODEL' }),
      params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
      fields: z.record(z.string(), z.string()).meta({ description: 'field → its first problem, for 422' }),
    })
    .meta({ id: 'ApiError' }),
} as const;

const statusText: Record<number, string> = {
  400: 'The request breaks a rule, or its JSON cannot be read',
  401: 'No live session: send `Authorization: Bearer <token>` from login',
  403: 'Signed in, not allowed',
  404: 'Missing, or not yours to see (the two answer alike)',
  409: 'Clashes with the current state',
  412: 'The data or the setting the request needs is not there',
  413: 'The body is larger than 1 MB',
  415: 'The body is not JSON',
  422: 'Invalid input (field by field)',
  429: 'Too many requests; `Retry-After` says when to retry',
  500: 'The server failed (nothing is detailed; the server log has it)',
  503: 'The database (or a service it needs) is unavailable; `Retry-After` says when to retry',
};

const takesBody = (route: LegacyRoute) => route.method === 'POST' || route.method === 'PUT';

/**
 * The statuses a route can fail with, derived from what it is: its access level (401, 403), its input
 * (422), its body (400 unreadable JSON, 413, 415), its procedures' own refusals (openapi/errors.ts) and
 * the route's; every route can meet an unavailable database (503).
 */
export function errorStatuses(route: LegacyRoute): number[] {
  const codes = new Set<number>([503]);
  // a legacy route's own status for a reason (register's taken name: 400)
  const statusOf = (reason: Reason) => route.statusByReason?.[reason] ?? statusOfReason(reason);
  if (takesBody(route)) for (const code of [400, 413, 415, 422]) codes.add(code);
  if (route.params || route.query || route.body) codes.add(422);
  if (route.access !== 'anyone') codes.add(401);
  if (route.access === 'admin') codes.add(403);
  for (const reason of [...reasonsOf(route.procedures), ...(route.reasons ?? [])]) {
    codes.add(statusOf(reason));
  }
  for (const code of Object.keys(route.errorAnswers ?? {})) codes.add(Number(code));
  return [...codes].sort((a, b) => a - b);
}

function errorResponses(route: LegacyRoute, withBody: boolean) {
  return Object.fromEntries(
    errorStatuses(route).map((code) => [
      String(code),
      {
        description: `${statusText[code] ?? 'Refused'}. The reason code is in the \`X-Error-Reason\` header.`,
        content: {
          'application/json': withBody
            ? { schema: route.errorAnswers?.[code] ?? errorAnswers[route.errors] }
            : {},
        },
      },
    ]),
  );
}

const accessText = {
  anyone: 'No session needed.',
  'signed-in': 'Needs `Authorization: Bearer <token>`.',
  admin: 'Needs the bearer token of an admin.',
} as const;

/** `/users/login/` ↔ `/users/login`: every REST route answers on both (legacy clients wrote either). */
export const twinOf = (path: string) => (path.endsWith('/') ? path.slice(0, -1) : `${path}/`);

const operationIdOf = (method: string, path: string) =>
  `${method.toLowerCase()}${path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`;

function operation(
  route: LegacyRoute,
  method: 'get' | 'head' | 'post' | 'put' | 'delete',
  path: string,
): ZodOpenApiOperationObject {
  const isTwin = path !== route.path;
  const isHead = method === 'head';
  const requestParams = {
    ...(route.params ? { path: route.params } : {}),
    ...(route.query ? { query: route.query } : {}),
  };
  return {
    tags: [isTwin ? TWINS_TAG : route.tag],
    summary: isTwin
      ? `${route.summary} (\`${route.method} ${route.path}\` ${path.endsWith('/') ? 'with' : 'without'} the trailing slash)`
      : isHead
        ? `${route.summary} (headers only)`
        : route.summary,
    description: [
      isTwin ? `Answers exactly as \`${route.method} ${route.path}\`.` : null,
      isHead ? 'The headers `GET` would send, without a body.' : null,
      route.description,
      accessText[route.access],
      `Answered by the tRPC procedure${route.procedures.length > 1 ? 's' : ''} ${route.procedures.map((p) => `\`${p}\``).join(', ')}.`,
    ]
      .filter(Boolean)
      .join('\n\n'),
    operationId: `${operationIdOf(method, route.path)}${isTwin ? (path.endsWith('/') ? 'Slash' : 'NoSlash') : ''}`,
    security: route.access === 'anyone' ? [] : [{ bearer: [] }],
    ...(Object.keys(requestParams).length ? { requestParams } : {}),
    ...(route.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: route.body } } } }
      : {}),
    responses: {
      // a legacy route's twin redirects to it, as FastAPI did; a client that follows gets its answers
      ...(isTwin && route.errors !== 'api'
        ? {
            '307': {
              description: `Redirect to \`${route.path}\` (the answers below are its, for a client that follows)`,
              headers: { location: { schema: { type: 'string' } } },
            },
          }
        : {}),
      [String(route.status)]: {
        description: route.status === 201 ? 'Created' : 'OK',
        content: { 'application/json': isHead ? {} : { schema: route.answer } },
      },
      ...errorResponses(route, !isHead),
    },
  };
}

export const TWINS_TAG = 'trailing-slash twins';

/** A GET operation's HEAD: the same statuses and headers, no body. */
function headOf(get: ZodOpenApiOperationObject): ZodOpenApiOperationObject {
  const responses = Object.fromEntries(
    Object.entries(get.responses ?? {}).map(([status, response]) => {
      const { content, ...rest } = response as { content?: Record<string, unknown> };
      return [
        status,
        content
          ? { ...rest, content: Object.fromEntries(Object.keys(content).map((type) => [type, {}])) }
          : rest,
      ];
    }),
  );
  return {
    ...get,
    summary: `${get.summary} (headers only)`,
    operationId: `head${(get.operationId ?? '').replace(/^get/, '')}`,
    responses,
  } as unknown as ZodOpenApiOperationObject;
}

/** OpenAPI 3.1 for the given routes (the legacy ones and the /api face of the procedures). */
export function buildOpenApiDocument(routes: LegacyRoute[], version: string) {
  const paths: Record<string, Record<string, ZodOpenApiOperationObject>> = {};
  const add = (path: string, method: string, op: ZodOpenApiOperationObject) => {
    paths[path] ??= {};
    (paths[path] as Record<string, ZodOpenApiOperationObject>)[method] = op;
    // Fastify answers HEAD for every GET route (exposeHeadRoutes).
    if (method === 'get') (paths[path] as Record<string, ZodOpenApiOperationObject>).head = headOf(op);
  };
  for (const [path, item] of Object.entries(rootPaths)) {
    for (const [method, op] of Object.entries(item as Record<string, ZodOpenApiOperationObject>))
      add(path, method, op);
  }
  add(PRICE_IMPORT_PATH, 'post', priceImportOperation);
  for (const route of routes) {
    const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'delete';
    add(route.path, method, operation(route, method, route.path));
  }
  // the twins go last, so they sit at the end of the list (and of /docs)
  for (const route of routes) {
    const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'delete';
    const twin = twinOf(route.path);
    add(twin, method, operation(route, method, twin));
  }
  const document = createDocument(
    {
      openapi: '3.1.0',
      info: { title: 'Ethcast API', version, description },
      tags: [
        { name: 'legacy', description: 'Routes kept from the legacy backend' },
        { name: 'users', description: 'Legacy routes: accounts' },
        { name: 'logs', description: 'Legacy routes: the audit log' },
        { name: 'predicts', description: 'Legacy routes: forecasts' },
        ...[...new Set(routes.map((route) => route.tag))]
          .filter((tag) => tag.startsWith('api: '))
          .map((name) => ({ name, description: `The ${name.slice(5)} procedures as plain JSON` })),
        { name: 'prices', description: 'Price files streamed to the server' },
        {
          name: TWINS_TAG,
          description:
            'Every REST route also answers on its path with the trailing slash added or removed (legacy clients wrote either): a legacy route with a 307 to its documented path, as FastAPI did; the others exactly as the canonical path.',
        },
      ],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'The `token` from `POST /users/login/`' },
        },
      },
      paths: paths as ZodOpenApiPathsObject,
    },
    {
      override: ({ jsonSchema, zodSchema }) => {
        // JSON carries dates as ISO 8601 text, both ways.
        if (zodSchema._zod.def.type === 'date') {
          jsonSchema.type = 'string';
          jsonSchema.format = 'date-time';
        }
      },
    },
  );
  addExamples(document);
  return document;
}
