import type {} from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CookieJar } from './context.ts';
import type { ServerConfig } from './env.ts';

export const SESSION_COOKIE = 'ethcast_session';

const BEARER_SCHEME = /^bearer(?:[ \t]|$)/i;
const BEARER_CREDENTIALS = /^bearer[ \t]+(\S+)[ \t]*$/i;

/**
 * The one bearer rule, for every face (tRPC, /api, the legacy routes, the price upload, /metrics):
 * `Authorization: Bearer <token>`, the scheme in any case (RFC 7235: auth schemes are case-insensitive),
 * one or more spaces or tabs before the token, the token one word. `undefined` when the header is absent
 * or names another scheme; null when it is a Bearer header without a usable token (refused, and no other
 * credential is tried).
 */
export function bearerCredential(header: string | undefined): string | null | undefined {
  if (header === undefined || !BEARER_SCHEME.test(header)) return undefined;
  return BEARER_CREDENTIALS.exec(header)?.[1] ?? null;
}

/** Bearer token from the Authorization header, else from the session cookie, and where it came from. */
export function tokenFromRequest(req: FastifyRequest): { token: string; source: 'bearer' | 'cookie' } | null {
  const bearer = bearerCredential(req.headers.authorization);
  if (bearer !== undefined) return bearer ? { token: bearer, source: 'bearer' } : null;
  const cookie = req.cookies?.[SESSION_COOKIE];
  return cookie ? { token: cookie, source: 'cookie' } : null;
}

export function cookieJarFor(reply: FastifyReply, config: ServerConfig): CookieJar {
  const base = {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: config.cookieSecure,
  };
  return {
    setSession(token, expiresAt) {
      reply.setCookie(SESSION_COOKIE, token, { ...base, expires: expiresAt });
    },
    clearSession() {
      reply.clearCookie(SESSION_COOKIE, base);
    },
  };
}
