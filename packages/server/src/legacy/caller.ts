import type { FastifyRequest } from 'fastify';
import { createContextInner, type Session } from '../context.ts';
import { resolveViewer } from '../http-viewer.ts';
import { createCaller } from '../router.ts';
import type { Services } from '../services.ts';
import type { Viewer } from '../usecases/viewer.ts';
import type { Caller } from './route.ts';

/**
 * The app router acting as the request's bearer (anonymous without a live session), that session and
 * the viewer. Bearer only: the REST routes ignore the session cookie, so a cross-site page cannot make a
 * signed-in browser call them (no CSRF surface). Throws DATABASE_UNAVAILABLE like every face.
 */
export async function callerForRequest(
  services: Services,
  req: FastifyRequest,
): Promise<{ call: Caller; session: Session | null; viewer: Viewer }> {
  const viewer = await resolveViewer(services, req, { credentials: 'bearer' });
  const ctx = await createContextInner(services, { viewer });
  return { call: createCaller(ctx), session: ctx.session, viewer };
}
