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
  | 'METHOD_NOT_SUPPORTED' // 405
  | 'CONFLICT' // 409: clashes with the current state
  | 'PRECONDITION_FAILED' // 412: the data the request needs is not there (e.g. too few prices)
  | 'PAYLOAD_TOO_LARGE' // 413
  | 'UNPROCESSABLE_CONTENT' // 422: well-formed but cannot be processed (e.g. a bad price file)
  | 'TOO_MANY_REQUESTS' // 429: a limit; `params.retryAfterSeconds` when known
  | 'SERVICE_UNAVAILABLE' // 503: the database or a dependency is down; retry later
  | 'INTERNAL_SERVER_ERROR'; // 500: a bug; never for a client's mistake

/**
 * Every reason code, with its kind and an English sentence for logs, old clients and developers:
 * `{name}` is replaced by `params.name`, `{n:one|other}` picks the English plural form by `params.n`.
 * Add a reason here, and its translation in the dashboard's messages.ts (a test fails when one is
 * missing). Codes are SCREAMING_SNAKE and never change meaning; the template's placeholders are the
 * params a thrower must pass (checked by the compiler).
 */
export const reasons = {
  // the request itself
  INVALID_INPUT: { kind: 'BAD_REQUEST', message: 'Invalid input' },
  MALFORMED_REQUEST: { kind: 'BAD_REQUEST', message: 'The request could not be read' },
  NO_SUCH_PROCEDURE: { kind: 'NOT_FOUND', message: 'No such procedure' },
  METHOD_NOT_SUPPORTED: { kind: 'METHOD_NOT_SUPPORTED', message: 'This procedure does not take that method' },
  REQUEST_TOO_LARGE: { kind: 'PAYLOAD_TOO_LARGE', message: 'The request is too large' },
  RATE_LIMITED: {
    kind: 'TOO_MANY_REQUESTS',
    message: 'Too many requests; try again in {retryAfterSeconds} s',
  },
  // who is asking
  UNAUTHENTICATED: { kind: 'UNAUTHORIZED', message: 'Sign in first' },
  ADMIN_ONLY: { kind: 'FORBIDDEN', message: 'Admins only' },
  WRONG_CREDENTIALS: { kind: 'UNAUTHORIZED', message: 'Wrong username or password' },
  LOGIN_LOCKED: {
    kind: 'TOO_MANY_REQUESTS',
    message: 'Too many failed attempts; try again in {minutes} {minutes:minute|minutes}',
  },
  LOGIN_BUSY: {
    kind: 'TOO_MANY_REQUESTS',
    message: 'Other sign-ins to this account are being checked; try again in {retryAfterSeconds} s',
  },
  // rows: missing, or not the caller's to see (the two answer alike)
  NOT_FOUND: { kind: 'NOT_FOUND', message: '{entity} {id} not found' },
  NO_PRICES: { kind: 'NOT_FOUND', message: 'No prices stored for {symbol}' },
  // accounts
  USERNAME_TAKEN: { kind: 'CONFLICT', message: 'That username is taken' },
  ROLE_CHANGE_ADMIN_ONLY: { kind: 'FORBIDDEN', message: 'Only admins change roles' },
  NOTHING_TO_CHANGE: { kind: 'BAD_REQUEST', message: 'Nothing to change: give username, password or role' },
  CURRENT_PASSWORD_REQUIRED: {
    kind: 'BAD_REQUEST',
    message: 'currentPassword is required to change your password',
  },
  CURRENT_PASSWORD_WRONG: { kind: 'UNAUTHORIZED', message: 'Current password is wrong' },
  LAST_ADMIN_DEMOTION: { kind: 'PRECONDITION_FAILED', message: 'The last admin cannot be demoted' },
  LAST_ADMIN_DELETION: { kind: 'PRECONDITION_FAILED', message: 'The last admin cannot be deleted' },
  // forecasts
  UNKNOWN_MODEL: {
    kind: 'BAD_REQUEST',
    message: "Unknown model '{model}' for {symbol}; available: {available}",
  },
  NO_MODELS_FOR_SYMBOL: { kind: 'BAD_REQUEST', message: "No models for symbol '{symbol}'" },
  HORIZON_TOO_LONG: {
    kind: 'BAD_REQUEST',
    message: '{model} forecasts at most {max} days ahead; {asked} were asked',
  },
  HISTORY_TOO_SHORT: {
    kind: 'PRECONDITION_FAILED',
    message:
      '{model} needs {needed} consecutive days of {symbol} prices; {stored} are stored ({missing} missing). Import prices first.',
  },
  FORECAST_IMMUTABLE: {
    kind: 'CONFLICT',
    message: 'A stored forecast is immutable: only its note can change',
  },
  FORECASTS_BUSY: {
    kind: 'TOO_MANY_REQUESTS',
    message: 'The server is busy with other forecasts; try again in a moment',
  },
  // the server's own trouble (clients see INTERNAL for every INTERNAL_SERVER_ERROR kind)
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
  CROSS_SITE_REQUEST: {
    kind: 'FORBIDDEN',
    message: 'Refused: a signed-in change must come from this site (Origin {origin})',
  },
  MODEL_REGISTRY_UNAVAILABLE: { kind: 'INTERNAL_SERVER_ERROR', message: 'The model registry is unavailable' },
  FORECAST_FAILED: { kind: 'INTERNAL_SERVER_ERROR', message: 'The {model} forecast failed' },
  INTERNAL: { kind: 'INTERNAL_SERVER_ERROR', message: 'Internal server error' },
  UNKNOWN_JOB: { kind: 'NOT_FOUND', message: 'No job named {job}' },
  JOBS_DISABLED: {
    kind: 'PRECONDITION_FAILED',
    message: 'Scheduled jobs are switched off on this server (JOBS=off)',
  },
  ADMIN_TOKEN_INVALID: {
    kind: 'FORBIDDEN',
    message: 'The first-admin token is missing or wrong: run admin:create on the server machine as its user',
  },
  ADMIN_EXISTS: {
    kind: 'CONFLICT',
    message: 'An admin exists already: sign in as an admin to create another',
  },
  PRICE_FILE_INVALID: { kind: 'UNPROCESSABLE_CONTENT', message: 'Price file refused: {detail}' },
  PRICE_SYNC_OFF: {
    kind: 'PRECONDITION_FAILED',
    message: 'Price sync is off on this server (PRICES_SYNC_URL=off, or NODE_ENV=test)',
  },
  PRICE_SYNC_FAILED: { kind: 'SERVICE_UNAVAILABLE', message: 'Price sync failed: {detail}' },
} as const satisfies Record<string, { kind: ErrorKind; message: string }>;

export type Reason = keyof typeof reasons;
export type ParamValue = string | number | boolean | null;
export type ErrorParams = Record<string, ParamValue>;

/** The placeholder names of a template: '{model} needs {needed:day|days}' → 'model' | 'needed'. */
type Placeholders<T extends string> = T extends `${string}{${infer Inner}}${infer Rest}`
  ? (Inner extends `${infer Name}:${string}` ? Name : Inner) | Placeholders<Rest>
  : never;

type PlaceholdersOf<R extends Reason> = Placeholders<(typeof reasons)[R]['message']>;

/** The params a reason needs (its template's placeholders); extra params are allowed. */
export type ParamsOf<R extends Reason> = Record<PlaceholdersOf<R>, ParamValue> & ErrorParams;

/** `(reason)` alone when the template has no placeholders, else `(reason, params)`. */
type ErrorArgs<R extends Reason> = [PlaceholdersOf<R>] extends [never]
  ? [params?: ErrorParams, options?: { cause?: unknown }]
  : [params: ParamsOf<R>, options?: { cause?: unknown }];

const englishPlural = new Intl.PluralRules('en');

/** Fills a catalogue template; `{n:one|other}` picks the English plural form of `params.n`. */
export function renderTemplate(template: string, params: ErrorParams): string {
  const chosen = template.replace(/\{(\w+):([^|{}]*)\|([^|{}]*)\}/g, (whole, name: string, one, other) =>
    name in params ? (englishPlural.select(Number(params[name])) === 'one' ? one : other) : whole,
  );
  return chosen.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

export class DomainError<R extends Reason = Reason> extends Error {
  override readonly name = 'DomainError';
  readonly reason: R;
  readonly params: ErrorParams;
  readonly kind: ErrorKind;

  constructor(reason: R, ...[params, options]: ErrorArgs<R>) {
    const given: ErrorParams = params ?? {};
    super(renderTemplate(reasons[reason].message, given), options ?? {});
    this.reason = reason;
    this.params = given;
    this.kind = reasons[reason].kind;
  }
}

/** Throws a DomainError; `fail('NOT_FOUND', { entity: 'forecast', id })`. */
export function fail<R extends Reason>(reason: R, ...rest: ErrorArgs<R>): never {
  throw new DomainError(reason, ...rest);
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
