import { z } from 'zod';
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from 'zod-openapi';
import { type LegacyRoute, validationErrorSchema } from '../legacy/route.ts';

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
  415: 'The body is not JSON',
  422: 'Invalid input (field by field)',
  429: 'Too many requests; `Retry-After` says when to retry',
  503: 'The database is unavailable; retry shortly',
};

function errorResponses(route: LegacyRoute) {
  const codes = [400, 422, 429, 503];
  if (route.access !== 'anyone') codes.push(401);
  if (route.access === 'admin' || route.params) codes.push(403);
  if (route.params || route.procedures.some((p) => /byId|byUsername|update|delete/.test(p))) codes.push(404);
  const legacy = route.errors !== 'api';
  // the legacy routes read any content type as FastAPI did (422 when it is not a JSON object)
  if (route.body) codes.push(...(legacy ? [409] : [409, 415]));
  const schemaOf = (code: number) =>
    legacy && code === 422 ? validationErrorSchema : errorAnswers[route.errors];
  return Object.fromEntries(
    codes
      .sort((a, b) => a - b)
      .map((code) => [
        String(code),
        {
          description: `${statusText[code]}. The reason code is in the \`X-Error-Reason\` header.`,
          content: { 'application/json': { schema: schemaOf(code) } },
        },
      ]),
  );
}

const accessText = {
  anyone: 'No session needed.',
  'signed-in': 'Needs `Authorization: Bearer <token>`.',
  admin: 'Needs the bearer token of an admin.',
} as const;

function operation(route: LegacyRoute): ZodOpenApiOperationObject {
  const requestParams = {
    ...(route.params ? { path: route.params } : {}),
    ...(route.query ? { query: route.query } : {}),
  };
  return {
    tags: [route.tag],
    summary: route.summary,
    description: [
      route.description,
      accessText[route.access],
      `Answered by the tRPC procedure${route.procedures.length > 1 ? 's' : ''} ${route.procedures.map((p) => `\`${p}\``).join(', ')}.`,
    ]
      .filter(Boolean)
      .join('\n\n'),
    operationId: `${route.method.toLowerCase()}${route.path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
    security: route.access === 'anyone' ? [] : [{ bearer: [] }],
    ...(Object.keys(requestParams).length ? { requestParams } : {}),
    ...(route.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: route.body } } } }
      : {}),
    responses: {
      [String(route.status)]: {
        description: route.status === 201 ? 'Created' : 'OK',
        content: { 'application/json': { schema: route.answer } },
      },
      ...errorResponses(route),
    },
  };
}

const rootPaths: ZodOpenApiPathsObject = {
  '/': {
    get: {
      tags: ['legacy'],
      summary: 'The legacy root: is the API up?',
      operationId: 'getRoot',
      responses: {
        '200': {
          description: 'OK',
          content: { 'application/json': { schema: z.object({ message: z.literal('working') }) } },
        },
      },
    },
  },
  '/health': {
    get: {
      tags: ['legacy'],
      summary: 'Liveness: the process answers (never touches the database)',
      operationId: 'getHealth',
      responses: {
        '200': {
          description: 'Alive',
          content: {
            'application/json': {
              schema: z.object({ status: z.literal('ok'), version: z.string(), uptimeSeconds: z.number() }),
            },
          },
        },
      },
    },
  },
  '/ready': {
    get: {
      tags: ['legacy'],
      summary: "Readiness: the database answers and holds this build's migrations",
      operationId: 'getReady',
      responses: {
        '200': {
          description: 'Ready',
          content: { 'application/json': { schema: z.object({ ready: z.literal(true) }).loose() } },
        },
        '503': { description: 'Not ready; `Retry-After` says when to ask again' },
      },
    },
  },
};

const description = `Ethcast's REST face, generated from the zod schemas the tRPC procedures validate with.

**Legacy routes** (\`/users/…\`, \`/logs/…\`, \`/predicts/…\`): the FastAPI backend's paths, methods, bodies and answer keys, answered by the tRPC procedures. Sign in with \`POST /users/login/\` and send its \`token\` as \`Authorization: Bearer <token>\` (the session cookie is not accepted here). Identity always comes from the session. Messages are Portuguese whatever \`Accept-Language\` says, English with \`?lang=en\` or \`X-Ethcast-Language: en\`; every failure carries its reason code in the \`X-Error-Reason\` header. As FastAPI answered: invalid input is 422 \`{"detail": [{loc, msg, type}]}\`, another method 405 \`{"detail": "Method Not Allowed"}\` with \`Allow\`, the path without (or with) its trailing slash a 307 to the documented one, an unknown path 404 \`{"detail": "Not Found"}\`.

**\`/api/…\`**: every tRPC procedure as plain JSON (queries GET with query parameters, mutations POST with a JSON body).`;

/** OpenAPI 3.1 for the given routes (the legacy ones and the /api face of the procedures). */
export function buildOpenApiDocument(routes: LegacyRoute[], version: string) {
  const paths: ZodOpenApiPathsObject = { ...rootPaths };
  for (const route of routes) {
    const item = (paths[route.path] ?? {}) as Record<string, ZodOpenApiOperationObject>;
    item[route.method.toLowerCase()] = operation(route);
    paths[route.path] = item;
  }
  return createDocument(
    {
      openapi: '3.1.0',
      info: { title: 'Ethcast API', version, description },
      tags: [
        { name: 'legacy', description: 'Routes kept from the legacy backend' },
        { name: 'users', description: 'Legacy routes: accounts' },
        { name: 'logs', description: 'Legacy routes: the audit log' },
        { name: 'predicts', description: 'Legacy routes: forecasts' },
      ],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'The `token` from `POST /users/login/`' },
        },
      },
      paths,
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
}
