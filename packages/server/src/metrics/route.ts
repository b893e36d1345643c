import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { bearerCredential } from '../http-context.ts';
import type { Services } from '../services.ts';

const sameToken = (given: string, expected: string) => {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

/**
 * GET /metrics in Prometheus's text format when enabled; with METRICS_TOKEN it needs
 * `Authorization: Bearer <token>` (401 otherwise). Switched off it is not registered (404).
 */
export function registerMetricsRoute(app: FastifyInstance, services: Services): void {
  const { enabled, token } = services.config.metrics;
  if (!enabled) return;
  app.get('/metrics', async (req, reply) => {
    if (token) {
      const given = bearerCredential(req.headers.authorization) ?? '';
      if (!given || !sameToken(given, token)) {
        return reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'Unauthorized' });
      }
    }
    const body = await services.metrics.text();
    return reply.code(200).header('content-type', services.metrics.contentType).send(body);
  });
}
