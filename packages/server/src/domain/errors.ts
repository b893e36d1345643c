/**
 * The one error contract. Services and queries throw `DomainError` with a stable reason code and its
 * parameters; `trpc.ts` maps each reason's kind once to a tRPC code (and so an HTTP status) and puts
 * `reason` and `params` in `error.data`. Screens and CLIs translate by reason, never by parsing English.
 * Nothing here imports `@trpc/server`: the kinds are plain strings that `trpc.ts` maps.
 */

/** What kind of failure a reason is; decides the HTTP status (see `trpc.ts`). */
export type ErrorKind =
  | 'BAD_REQUEST' // 400: the input breaks a rule
  | 'UNAUTHORIZED' // 401: not signed in, or the session is gone
  | 'FORBIDDEN' // 403: signed in, not allowed
  | 'NOT_FOUND' // 404: missing, or not the caller's to see
  | 'CONFLICT' // 409: clashes with the current state
  | 'PRECONDITION_FAILED' // 412: the data the request needs is not there (e.g. too few prices)
  | 'PAYLOAD_TOO_LARGE' // 413
  | 'UNPROCESSABLE_CONTENT' // 422: well-formed but cannot be processed (e.g. a bad price file)
  | 'TOO_MANY_REQUESTS' // 429: a limit; `params.retryAfterSeconds` when known
  | 'SERVICE_UNAVAILABLE' // 503: the database or a dependency is down; retry later
  | 'INTERNAL_SERVER_ERROR'; // 500: a bug; never for a client's mistake

/**
 * Every reason code, with its kind and an English sentence for logs and developers (`{name}` is
 * replaced by `params.name`). Add a reason here, and its translation in the dashboard's messages.ts
 * (a test fails when one is missing). Codes are SCREAMING_SNAKE and never change meaning.
 */
export const reasons = {
  INVALID_INPUT: { kind: 'BAD_REQUEST', message: 'Invalid input' },
  UNAUTHENTICATED: { kind: 'UNAUTHORIZED', message: 'Sign in first' },
  ADMIN_ONLY: { kind: 'FORBIDDEN', message: 'Admins only' },
  NOT_FOUND: { kind: 'NOT_FOUND', message: '{entity} {id} not found' },
  FORECAST_IMMUTABLE: {
    kind: 'CONFLICT',
    message: 'A stored forecast is immutable: only its note can change',
  },
  RATE_LIMITED: {
    kind: 'TOO_MANY_REQUESTS',
    message: 'Too many requests; try again in {retryAfterSeconds} s',
  },
  DATABASE_UNAVAILABLE: {
    kind: 'SERVICE_UNAVAILABLE',
    message: 'The database is unavailable; try again in {retryAfterSeconds} s',
  },
  NOT_READY: {
    kind: 'SERVICE_UNAVAILABLE',
    message: 'Not ready: database {database}, migrations {migrations}',
  },
  SERVER_BUSY: {
    kind: 'TOO_MANY_REQUESTS',
    message: 'The server is busy checking other passwords; try again in {retryAfterSeconds} s',
  },
  LOGIN_LOCKED: {
    kind: 'TOO_MANY_REQUESTS',
    message: 'Too many failed attempts; try again in {minutes} {unit}',
  },
  CROSS_SITE_REQUEST: {
    kind: 'FORBIDDEN',
    message: 'Refused: a signed-in change must come from this site (Origin {origin})',
  },
  INTERNAL: { kind: 'INTERNAL_SERVER_ERROR', message: 'Internal server error' },
} as const satisfies Record<string, { kind: ErrorKind; message: string }>;

export type Reason = keyof typeof reasons;
export type ErrorParams = Record<string, string | number | boolean | null>;

function render(template: string, params: ErrorParams): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

export class DomainError extends Error {
  override readonly name = 'DomainError';
  readonly reason: Reason;
  readonly params: ErrorParams;
  readonly kind: ErrorKind;

  constructor(reason: Reason, params: ErrorParams = {}, options: { cause?: unknown } = {}) {
    super(render(reasons[reason].message, params), options);
    this.reason = reason;
    this.params = params;
    this.kind = reasons[reason].kind;
  }
}

/** Throws a DomainError; `fail('NOT_FOUND', { entity: 'forecast', id })`. */
export function fail(reason: Reason, params: ErrorParams = {}, options?: { cause?: unknown }): never {
  throw new DomainError(reason, params, options);
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
