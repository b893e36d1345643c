import type { FastifyRequest } from 'fastify';
import { findSessionByToken, type Session } from './db/queries/sessions.ts';
import { DomainError } from './domain/errors.ts';
import { bearerCredential, tokenFromRequest } from './http-context.ts';
import { isTrustedOrigin } from './http-guards.ts';
import type { Services } from './services.ts';
import { domainErrorOf } from './trpc.ts';
import { anonymousViewer, userViewer, type Viewer } from './usecases/viewer.ts';

export type ResolveViewerOptions = {
  /**
   * Which credentials identify the caller:
   * - `'cookie-or-bearer'` (default, tRPC): `Authorization: Bearer <token>`, else the session cookie;
   *   a cookie-authenticated state-changing request must come from a trusted origin;
   * - `'bearer'` (the legacy REST routes, /api, the price upload): the bearer token only. The cookie is
   *   ignored, so a cross-site page cannot make a signed-in browser call these routes (a browser never
   *   sends a bearer token by itself) and they need no origin check.
   */
  credentials?: 'cookie-or-bearer' | 'bearer';
};

/** Methods that change nothing: a cross-site page may make a browser send them, and they do no harm. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Who is calling: the one session resolver of every HTTP face (tRPC, the legacy REST routes, /api,
 * the price upload). A live session is a `user` viewer; no credential, or one without a live session
 * (unknown, expired, revoked), is `anonymous`: the use case decides whether that is enough.
 *
 * Sessions are looked up through the process's session cache (`services.sessions`, auth/session-cache.ts):
 * a revocation in this process (logout, a password change, a new role, a deleted user) makes the cache
 * forget the session at once, in every face alike; in another replica it takes effect within
 * SESSION_CACHE_MS.
 *
 * Throws DomainError: CROSS_SITE_REQUEST (403) for a cookie-authenticated state-changing request from an
 * untrusted origin (before any lookup, whether or not the cookie is live); DATABASE_UNAVAILABLE (503)
 * when the lookup cannot reach the database.
 */
export async function resolveViewer(
  services: Pick<Services, 'db' | 'config' | 'sessions'>,
  req: FastifyRequest,
  options: ResolveViewerOptions = {},
): Promise<Viewer> {
  const clientIp = req.ip ?? null;
  const credential =
    options.credentials === 'bearer' ? bearerOnly(req.headers.authorization) : tokenFromRequest(req);
  if (!credential) return anonymousViewer(clientIp);
  if (
    credential.source === 'cookie' &&
    !SAFE_METHODS.has(req.method) &&
    !isTrustedOrigin(req, services.config)
  ) {
    throw new DomainError('CROSS_SITE_REQUEST', { origin: req.headers.origin ?? 'none' });
  }
  const session = await findLiveSession(services, credential.token);
  return session ? userViewer(session, credential.token, clientIp) : anonymousViewer(clientIp);
}

function bearerOnly(header: string | undefined): { token: string; source: 'bearer' } | null {
  const token = bearerCredential(header);
  return token ? { token, source: 'bearer' } : null;
}

async function findLiveSession(
  services: Pick<Services, 'db' | 'sessions'>,
  token: string,
): Promise<Session | null> {
  try {
    return await services.sessions.find(token, () => findSessionByToken(services.db, token));
  } catch (error) {
    // an unreachable database is DATABASE_UNAVAILABLE (503, retry), on every face
    throw domainErrorOf(error, false) ?? error;
  }
}
