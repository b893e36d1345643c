import type { Session } from './db/queries/sessions.ts';
import type { Services } from './services.ts';
import { anonymousViewer, userViewer, type Viewer } from './usecases/viewer.ts';

export type { Session, SessionUser } from './db/queries/sessions.ts';
export type { Role } from './db/schema.ts';

/** How a procedure sets or clears the session cookie without knowing about HTTP. */
export type CookieJar = {
  setSession(token: string, expiresAt: Date): void;
  clearSession(): void;
};

export type Context = Services & {
  session: Session | null;
  /** the raw bearer token of this request, so logout can revoke exactly this session */
  token: string | null;
  cookies: CookieJar;
  clientIp: string | null;
  /** who the use cases act for: the same value `session`, `token` and `clientIp` describe */
  viewer: Viewer;
};

const noCookies: CookieJar = { setSession() {}, clearSession() {} };

/**
 * The context of one call. HTTP passes the viewer `resolveViewer` found (http-viewer.ts); tests and
 * scripts pass a session (and its token) instead: `createCaller(await createContextInner(...))`.
 */
export async function createContextInner(
  services: Services,
  opts: {
    viewer?: Viewer;
    session?: Session | null;
    token?: string | null;
    cookies?: CookieJar;
    clientIp?: string | null;
  } = {},
): Promise<Context> {
  const viewer = opts.viewer ?? viewerOf(opts.session ?? null, opts.token ?? null, opts.clientIp ?? null);
  return {
    ...services,
    session: viewer.kind === 'user' ? viewer.session : null,
    token: viewer.kind === 'user' ? viewer.token : null,
    cookies: opts.cookies ?? noCookies,
    clientIp: viewer.kind === 'system' ? null : viewer.clientIp,
    viewer,
  };
}

const viewerOf = (session: Session | null, token: string | null, clientIp: string | null): Viewer =>
  session ? userViewer(session, token, clientIp) : anonymousViewer(clientIp);
