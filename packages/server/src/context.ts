import type { Session } from './db/queries/sessions.ts';
import type { Services } from './services.ts';
import { anonymousViewer, userViewer, type Viewer } from './usecases/viewer.ts';

export type { Session, SessionUser } from './db/queries/sessions.ts';
export type { Role } from './db/schema.ts';
export type { Services } from './services.ts';

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

/** Context without HTTP, for tests and scripts: `createCaller(await createContextInner(...))`. */
export async function createContextInner(
  services: Services,
  opts: {
    session?: Session | null;
    token?: string | null;
    cookies?: CookieJar;
    clientIp?: string | null;
  } = {},
): Promise<Context> {
  const session = opts.session ?? null;
  const token = opts.token ?? null;
  const clientIp = opts.clientIp ?? null;
  return {
    ...services,
    session,
    token,
    cookies: opts.cookies ?? noCookies,
    clientIp,
    viewer: session ? userViewer(session, token, clientIp) : anonymousViewer(clientIp),
  };
}
