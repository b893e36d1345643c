import type { Session, SessionUser } from '../db/queries/sessions.ts';
import { fail } from '../domain/errors.ts';

/**
 * Who a use case acts for. Every face (tRPC, the legacy REST routes, /api, the price upload, the CLI
 * on the database, the jobs) turns its caller into one of these and passes it to the use case, which
 * decides what that caller may do and whom the audit-log row names.
 *
 * - `anonymous`: no live session (register, login);
 * - `user`: a live session, found by `resolveViewer` from the cookie or the bearer token; `token` is the
 *   raw credential so logout can revoke exactly this session;
 * - `system`: nobody signed in but trusted with the database itself (a scheduled job, the first start,
 *   the CLI's direct mode); `via` says which, for the audit log.
 */
export type Viewer =
  | { kind: 'anonymous'; clientIp: string | null }
  | { kind: 'user'; session: Session; token: string | null; clientIp: string | null }
  | { kind: 'system'; via: string };

export const anonymousViewer = (clientIp: string | null = null): Viewer => ({ kind: 'anonymous', clientIp });

export const userViewer = (
  session: Session,
  token: string | null = null,
  clientIp: string | null = null,
): Viewer => ({
  kind: 'user',
  session,
  token,
  clientIp,
});

export const systemViewer = (via: string): Viewer => ({ kind: 'system', via });

/** The signed-in user, or UNAUTHENTICATED (401). */
export function requireUser(viewer: Viewer): SessionUser {
  if (viewer.kind !== 'user') fail('UNAUTHENTICATED');
  return viewer.session.user;
}

/** The signed-in admin, or UNAUTHENTICATED (401) / ADMIN_ONLY (403). A system viewer is trusted as admin. */
export function requireAdmin(viewer: Viewer): SessionUser | null {
  if (viewer.kind === 'system') return null;
  const user = requireUser(viewer);
  if (user.role !== 'admin') fail('ADMIN_ONLY');
  return user;
}
