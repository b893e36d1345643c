import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ServerConfig } from './env.ts';

/** Calls in one batched request, at most; each still counts once against every limit. */
export const MAX_BATCH_SIZE = 10;

/**
 * tRPC also reads multipart/form-data and application/octet-stream bodies. Browsers send form posts
 * cross-site without a CORS preflight, so a foreign page could make a signed-in browser run a mutation:
 * every POST must be JSON, which a cross-site page can only send after a preflight this server refuses.
 */
export function isJsonPost(req: FastifyRequest): boolean {
  if (req.method !== 'POST') return true;
  const type = req.headers['content-type']?.split(';', 1)[0]?.trim().toLowerCase();
  return type === 'application/json';
}

/** The refusal in tRPC's error shape, so a tRPC client reads it like any other error. */
export function refuseContentType(reply: FastifyReply): FastifyReply {
  return reply.code(415).send({
    error: {
      message: 'Requests must be JSON (content-type: application/json)',
      code: -32600,
      data: {
        code: 'UNSUPPORTED_MEDIA_TYPE',
        httpStatus: 415,
        reason: 'UNSUPPORTED_MEDIA_TYPE',
        params: {},
      },
    },
  });
}

/**
 * A mutation authenticated by the session cookie must come from a page of this site (or an origin in
 * CORS_ORIGINS): browsers attach the cookie to requests any site makes, and state the requesting page
 * in `Origin` on every POST. Bearer tokens are never sent by a browser on its own, so they need no check.
 * Without an Origin header, `Sec-Fetch-Site: same-origin` is accepted; anything else is refused.
 */
export function isTrustedOrigin(req: FastifyRequest, config: Pick<ServerConfig, 'corsOrigins'>): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return req.headers['sec-fetch-site'] === 'same-origin';
  if (config.corsOrigins.includes(origin)) return true;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return false;
  }
  return host !== '' && host === req.headers.host;
}
