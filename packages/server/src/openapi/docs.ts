import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

/**
 * `/openapi.json` and `/docs`, an interactive Swagger UI served from the files in @fastify/swagger-ui
 * (no CDN, no font or validator request: it works offline).
 */
export async function serveApiDocs(app: FastifyInstance, document: object) {
  await app.register(fastifySwagger, {
    mode: 'static',
    specification: { document: document as never },
  });
  await app.register(fastifySwaggerUi, {
    routePrefix: '/docs',
    uiConfig: { deepLinking: true, persistAuthorization: false, displayRequestDuration: true },
  });
  app.get('/openapi.json', async () => document);
}
