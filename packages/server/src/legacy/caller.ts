import type { FastifyRequest } from 'fastify';
import { createContextInner, type Services, type Session } from '../context.ts';
import { findSessionByToken } from '../db/queries/sessions.ts';
import { bearerCredential } from '../http-context.ts';
import { createCaller } from '../router.ts';
import { domainErrorOf } from '../trpc.ts';
import type { Viewer } from '../usecases/viewer.ts';
import type { Caller } from './route.ts';

/**
 * The bearer token of `Authorization: Bearer <token>`, and only that: the REST routes ignore the session
 * cookie, so a cross-site page cannot make a signed-in browser call them (no CSRF surface).
 */
export function bearerToken(req: FastifyRequest): string | null {
  return bearerCredential(req.headers.authorization) ?? null;
}

/** The app router acting as the request's bearer (anonymous without a live session), and that session. */
export async function callerForRequest(
  services: Services,
  req: FastifyRequest,
): Promise<{ call: Caller; session: Session | null; viewer: Viewer }> {
  const token = bearerToken(req);
  let session: Session | null = null;
  if (token) {
    try {
      // the same short-lived lookup cache as /trpc (auth/session-cache.ts), with the same revocation
      session = await services.sessions.find(token, () => findSessionByToken(services.db, token));
    } catch (error) {
      // an unreachable database is DATABASE_UNAVAILABLE (503), as on /trpc
      throw domainErrorOf(error, false) ?? error;
    }
  }
  const ctx = await createContextInner(services, {
    session,
    token: session ? token : null,
    clientIp: req.ip ?? null,
  });
  return { call: createCaller(ctx), session, viewer: ctx.viewer };
}
