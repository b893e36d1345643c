import type { FastifyInstance } from 'fastify';
import { legacyRoutes } from './legacy/index.ts';
import { serveRoutes } from './legacy/serve.ts';
import { serveApiDocs } from './openapi/docs.ts';
import { buildOpenApiDocument } from './openapi/document.ts';
import { procedureRoutes } from './openapi/rest-face.ts';
import type { Services } from './services.ts';

/** The legacy REST routes, the /api face of the procedures, /openapi.json and /docs. */
export async function registerRestApi(app: FastifyInstance, services: Services) {
  const routes = [...legacyRoutes, ...procedureRoutes()];
  await serveRoutes(app, services, routes);
  await serveApiDocs(app, buildOpenApiDocument(routes, services.version));
}
