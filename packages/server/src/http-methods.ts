import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { listProcedures } from './openapi/procedures.ts';

/** The methods a route may take, in the order the Allow header lists them. */
const ROUTE_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** tRPC answers GET (and HEAD) for queries and POST for mutations; nothing else reaches it. */
const TRPC_METHODS = new Set(['GET', 'HEAD', 'POST']);

const pathOf = (url: string) => url.split('?', 1)[0] ?? '/';

/**
 * The methods some route takes at this URL (empty when no route matches it whatever the method): the
 * Allow header of a 405. Asks Fastify's own router, so every family (REST, docs, static files, health,
 * the upload route) answers alike and no list is kept by hand.
 */
export function allowedMethods(app: FastifyInstance, url: string): string[] {
  const path = pathOf(url);
  return ROUTE_METHODS.filter((method) => app.findRoute({ method, url: path }) !== null);
}

/** The methods the procedures of a /trpc URL take (a batch may mix queries and mutations). */
function trpcAllowed(url: string): string[] {
  const names = decodeURIComponent(pathOf(url).replace(/^\/trpc\/?/, '')).split(',');
  const procedures = new Map(listProcedures().map((procedure) => [procedure.path, procedure.type]));
  const types = new Set(names.map((name) => procedures.get(name)));
  const allowed = new Set<string>();
  for (const type of types) {
    if (type === 'query') allowed.add('GET');
    else if (type === 'mutation') allowed.add('POST');
    else allowed.add('GET').add('POST');
  }
  return [...allowed];
}

/**
 * Refuses a method the route does not take: 405 with Allow, in tRPC's error shape (superjson envelope,
 * as tRPC itself answers a 405) under /trpc and as `{ error, reason }` elsewhere. Nothing is logged
 * beyond the request line: a client's wrong method is not the server's fault.
 */
export function refuseMethod(req: FastifyRequest, reply: FastifyReply, allowed: string[]): FastifyReply {
  reply.code(405).header('allow', allowed.join(', ')).header('x-error-reason', 'METHOD_NOT_SUPPORTED');
  const message = `This route does not take ${req.method}; it takes ${allowed.join(', ')}`;
  if (pathOf(req.url).startsWith('/trpc/')) {
    return reply.send({
      error: {
        json: {
          message,
          code: -32005,
          data: { code: 'METHOD_NOT_SUPPORTED', httpStatus: 405, reason: 'METHOD_NOT_SUPPORTED', params: {} },
        },
      },
    });
  }
  return reply.send({ error: message, reason: 'METHOD_NOT_SUPPORTED' });
}

/**
 * For the /trpc scope's onRequest hook: any method tRPC does not serve is refused before the adapter
 * sees it (it builds a WHATWG Request, which throws on TRACE: a 500 with a stack trace in the log).
 */
export function refuseNonTrpcMethod(req: FastifyRequest, reply: FastifyReply): FastifyReply | null {
  if (TRPC_METHODS.has(req.method)) return null;
  return refuseMethod(req, reply, trpcAllowed(req.url));
}
