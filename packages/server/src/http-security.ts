import type { FastifyInstance } from 'fastify';

/** Hashes of the inline code Swagger UI's bundle uses (@fastify/swagger-ui's static/csp.json). */
type SwaggerCsp = { script: string[]; style: string[] };

/** What the app's and /docs' policies share after their script and style sources. */
const SHARED_DIRECTIVES = [
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
];

/**
 * The dashboard's policy: everything from this server, nothing inline or remote (the built app is
 * files only), never framed. `data:` images are the favicon and chart exports.
 */
const APP_POLICY = ["default-src 'self'", "script-src 'self'", "style-src 'self'", ...SHARED_DIRECTIVES];

/**
 * The one <style> element Swagger UI's bundle (@fastify/swagger-ui 6.1.3) injects. A new version may
 * inject another: security-headers.test.ts opens /docs in Chromium and fails on any CSP violation.
 */
const SWAGGER_UI_STYLE_HASH = "'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w='";

/**
 * /docs: Swagger UI from this server's own files (no CDN, no validator, no web fonts: it works offline),
 * its inline code allowed by hash only.
 */
function docsPolicy(csp: SwaggerCsp | undefined): string {
  return [
    "default-src 'self'",
    `script-src 'self' ${(csp?.script ?? []).join(' ')}`.trim(),
    `style-src 'self' ${[SWAGGER_UI_STYLE_HASH, ...(csp?.style ?? [])].join(' ')}`,
    ...SHARED_DIRECTIVES,
  ].join('; ');
}

/**
 * Security headers on every answer: the content type is never sniffed, no Referer leaves the site,
 * and no page of it may be framed (clickjacking), by CSP `frame-ancestors 'none'` and, for older
 * browsers, `X-Frame-Options: DENY`. A Content-Security-Policy goes on the dashboard and /docs (and
 * every other answer: a JSON answer opened in a browser runs nothing either). Registered first, so that
 * it covers every route family, static files and error answers included.
 */
export function registerSecurityHeaders(app: FastifyInstance): void {
  const appPolicy = APP_POLICY.join('; ');
  let docs: string | null = null;
  app.addHook('onSend', async (req, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-frame-options', 'DENY');
    const isDocs = req.url === '/docs' || req.url.startsWith('/docs/') || req.url.startsWith('/docs?');
    if (isDocs) {
      docs ??= docsPolicy((app as FastifyInstance & { swaggerCSP?: SwaggerCsp }).swaggerCSP);
      reply.header('content-security-policy', docs);
    } else {
      reply.header('content-security-policy', appPolicy);
    }
    return payload;
  });
}
