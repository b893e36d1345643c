import type {} from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CookieJar } from './context.ts';
import type { ServerConfig } from './env.ts';

export const SESSION_COOKIE = 'ethcast_session';

/** Bearer token from the Authorization header, else from the session cookie, and where it came from. */
export function tokenFromRequest(req: FastifyRequest): { token: string; source: 'bearer' | 'cookie' } | null {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ')) {
    const token = header.slice(7).trim();
    return token ? { token, source: 'bearer' } : null;
  }
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
