import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { TWINS_TAG } from './document.ts';

type Operation = { tags?: string[] };
type Document = { paths?: Record<string, Record<string, Operation>> };

/**
 * What /docs shows: the document without the HEAD operations and the trailing-slash twins, which
 * answer exactly as the operations they repeat (the page says so; /openapi.json lists them all).
 */
export function forReading<T extends Document>(document: T): T {
  const paths: Record<string, Record<string, Operation>> = {};
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    const kept = Object.fromEntries(
      Object.entries(item).filter(
        ([method, operation]) => method !== 'head' && !operation.tags?.includes(TWINS_TAG),
      ),
    );
    if (Object.keys(kept).length > 0) paths[path] = kept;
  }
  const tags = (document as { tags?: { name: string }[] }).tags?.filter((tag) => tag.name !== TWINS_TAG);
  return { ...document, paths, ...(tags ? { tags } : {}) };
}

/**
 * `/openapi.json` and `/docs`, an interactive Swagger UI served from the files in @fastify/swagger-ui
 * (no CDN, no font or validator request: it works offline), titled Ethcast, without Swagger's top bar
 * (the Fastify logo and the "Explore" box that loads other documents).
 */
export async function serveApiDocs(app: FastifyInstance, document: object) {
  await app.register(fastifySwagger, {
    mode: 'static',
    specification: { document: document as never },
  });
  await app.register(fastifySwaggerUi, {
    routePrefix: '/docs',
    theme: { title: 'Ethcast API reference' },
    uiConfig: {
      layout: 'BaseLayout',
      deepLinking: true,
      persistAuthorization: false,
      displayRequestDuration: true,
    },
    transformSpecification: (spec) => forReading(spec as Document),
  });
  app.get('/openapi.json', async () => document);
}
