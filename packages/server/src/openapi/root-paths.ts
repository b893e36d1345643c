import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';

/** The routes outside the REST faces (/, /health, /ready, /openapi.json) and the document's introduction. */

const readinessSchema = z
  .object({
    ready: z.boolean(),
    status: z.enum(['ok', 'unavailable']),
    database: z.enum(['up', 'down']),
    migrations: z.enum(['current', 'pending', 'ahead', 'diverged', 'unknown']),
    driver: z.enum(['postgres', 'pglite']),
    version: z.string().meta({ example: '0.1.0' }),
    uptimeSeconds: z.number().int().min(0).meta({ example: 3600 }),
  })
  .meta({ id: 'Readiness' });

const json = (schema: z.ZodType) => ({ 'application/json': { schema } });

/** The routes Fastify serves outside the REST faces (a GET each; its HEAD is added below). */
export const rootPaths: ZodOpenApiPathsObject = {
  '/': {
    get: {
      tags: ['legacy'],
      summary: 'The legacy root: is the API up?',
      description: 'A browser (`Accept: text/html`) gets the dashboard instead, when it is built.',
      operationId: 'getRoot',
      responses: {
        '200': {
          description: 'OK',
          content: { ...json(z.object({ message: z.literal('working') })), 'text/html': {} },
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
          content: json(
            z.object({
              status: z.literal('ok'),
              version: z.string().meta({ example: '0.1.0' }),
              uptimeSeconds: z.number().int().min(0).meta({ example: 3600 }),
            }),
          ),
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
        '200': { description: 'Ready', content: json(readinessSchema) },
        '503': {
          description: 'Not ready; `Retry-After` says when to ask again',
          content: json(readinessSchema),
        },
      },
    },
  },
  '/openapi.json': {
    get: {
      tags: ['legacy'],
      summary: 'This document',
      operationId: 'getOpenApiDocument',
      responses: {
        '200': {
          description: 'OpenAPI 3.1',
          content: json(
            z
              .object({
                openapi: z.literal('3.1.0'),
                info: z.object({}).loose(),
                paths: z.object({}).loose(),
              })
              .loose(),
          ),
        },
      },
    },
  },
};

export const description = `Ethcast's REST face, generated from the zod schemas the tRPC procedures validate with.

**Legacy routes** (\`/users/…\`, \`/logs/…\`, \`/predicts/…\`): the FastAPI backend's paths, methods, bodies and answer keys, answered by the tRPC procedures. Sign in with \`POST /users/login/\` and send its \`token\` as \`Authorization: Bearer <token>\` (the session cookie is not accepted here). Identity always comes from the session. Messages are Portuguese whatever \`Accept-Language\` says, English with \`?lang=en\` or \`X-Ethcast-Language: en\`; every failure carries its reason code in the \`X-Error-Reason\` header. As FastAPI answered: invalid input is 422 \`{"detail": [{loc, msg, type}]}\`, another method 405 \`{"detail": "Method Not Allowed"}\` with \`Allow\`, the path without (or with) its trailing slash a 307 to the documented one, an unknown path 404 \`{"detail": "Not Found"}\`.

**\`/api/…\`**: every tRPC procedure as plain JSON (queries GET with query parameters, mutations POST with a JSON body). \`POST /api/prices/import\` takes a price CSV as the body.

Every route also answers on its path with the trailing slash added or removed (a legacy route with a 307 to its documented path, as FastAPI did; the others as the canonical path), and every GET answers HEAD (its headers, no body): \`/openapi.json\` lists those operations too; this page leaves them out.`;
