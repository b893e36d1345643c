import { renderTemplate } from './template.ts';

export { renderTemplate };

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

/** A catalogue entry; the template keeps its literal type, so the compiler knows its placeholders. */
const reason = <K extends ErrorKind, M extends string>(kind: K, message: M) => ({ kind, message });
/** A limit or a busy server: the sentence, then when to try again (`params.retryAfterSeconds`). */
const retryLater = <K extends ErrorKind, M extends string>(kind: K, sentence: M) =>
  reason(kind, `${sentence}; try again in {retryAfterSeconds} s` as const);

/**
 * Every reason code, with its kind and an English sentence for logs, old clients and developers:
 * `{name}` is replaced by `params.name`, `{n:one|other}` picks the English plural form by `params.n`.
 * Add a reason here, and its translation in the dashboard's messages.ts (a test fails when one is
 * missing). Codes are SCREAMING_SNAKE and never change meaning; the template's placeholders are the
 * params a thrower must pass (checked by the compiler).
 */
export const reasons = {
  // the request itself
  INVALID_INPUT: reason('BAD_REQUEST', 'Invalid input'),
  MALFORMED_REQUEST: reason('BAD_REQUEST', 'The request could not be read'),
  NO_SUCH_PROCEDURE: reason('NOT_FOUND', 'No such procedure'),
  METHOD_NOT_SUPPORTED: reason('METHOD_NOT_SUPPORTED', 'This procedure does not take that method'),
  REQUEST_TOO_LARGE: reason('PAYLOAD_TOO_LARGE', 'The request is too large'),
  RATE_LIMITED: retryLater('TOO_MANY_REQUESTS', 'Too many requests'),
  // who is asking
  UNAUTHENTICATED: reason('UNAUTHORIZED', 'Sign in first'),
  ADMIN_ONLY: reason('FORBIDDEN', 'Admins only'),
  WRONG_CREDENTIALS: reason('UNAUTHORIZED', 'Wrong username or password'),
  LOGIN_LOCKED: reason(
    'TOO_MANY_REQUESTS',
    'Too many failed attempts; try again in {minutes} {minutes:minute|minutes}',
  ),
  LOGIN_BUSY: retryLater('TOO_MANY_REQUESTS', 'Other sign-ins to this account are being checked'),
  // rows: missing, or not the caller's to see (the two answer alike)
  NOT_FOUND: reason('NOT_FOUND', '{entity} {id} not found'),
  NO_PRICES: reason('NOT_FOUND', 'No prices stored for {symbol}'),
  // accounts
  USERNAME_TAKEN: reason('CONFLICT', 'That username is taken'),
  ROLE_CHANGE_ADMIN_ONLY: reason('FORBIDDEN', 'Only admins change roles'),
  NOTHING_TO_CHANGE: reason('BAD_REQUEST', 'Nothing to change: give username, password or role'),
  CURRENT_PASSWORD_REQUIRED: reason('BAD_REQUEST', 'currentPassword is required to change your password'),
  CURRENT_PASSWORD_WRONG: reason('UNAUTHORIZED', 'Current password is wrong'),
  LAST_ADMIN_DEMOTION: reason('PRECONDITION_FAILED', 'The last admin cannot be demoted'),
  LAST_ADMIN_DELETION: reason('PRECONDITION_FAILED', 'The last admin cannot be deleted'),
  // forecasts
  UNKNOWN_MODEL: reason('BAD_REQUEST', "Unknown model '{model}' for {symbol}; available: {available}"),
  NO_MODELS_FOR_SYMBOL: reason('BAD_REQUEST', "No models for symbol '{symbol}'"),
  HORIZON_TOO_LONG: reason('BAD_REQUEST', '{model} forecasts at most {max} days ahead; {asked} were asked'),
  HISTORY_TOO_SHORT: reason(
    'PRECONDITION_FAILED',
    '{model} needs {needed} consecutive days of {symbol} prices; {stored} are stored ({missing} missing). Import prices first.',
  ),
  FORECAST_IMMUTABLE: reason('CONFLICT', 'A stored forecast is immutable: only its note can change'),
  FORECASTS_BUSY: reason(
    'TOO_MANY_REQUESTS',
    'The server is busy with other forecasts; try again in a moment',
  ),
  // per-user limits on forecast creation (domain/forecast-policy.ts)
  FORECAST_CONCURRENCY_LIMITED: retryLater(
    'TOO_MANY_REQUESTS',
    'You already have {limit} {limit:forecast|forecasts} in progress',
  ),
  FORECAST_RATE_LIMITED: retryLater(
    'TOO_MANY_REQUESTS',
    'Too many forecasts: at most {perMinute} a minute (bursts of {burst})',
  ),
  FORECAST_DAILY_CAP: reason(
    'TOO_MANY_REQUESTS',
    'Daily limit reached: {limit} {limit:forecast|forecasts} a day; more from {resetsAt} (00:00 UTC)',
  ),
  // the server's own trouble (clients see INTERNAL for every INTERNAL_SERVER_ERROR kind)
  DATABASE_UNAVAILABLE: retryLater('SERVICE_UNAVAILABLE', 'The database is unavailable'),
  NOT_READY: reason('SERVICE_UNAVAILABLE', 'Not ready: database {database}, migrations {migrations}'),
  SERVER_BUSY: retryLater('TOO_MANY_REQUESTS', 'The server is busy checking other passwords'),
  CROSS_SITE_REQUEST: reason(
    'FORBIDDEN',
    'Refused: a signed-in change must come from this site (Origin {origin})',
  ),
  MODEL_REGISTRY_UNAVAILABLE: reason('INTERNAL_SERVER_ERROR', 'The model registry is unavailable'),
  FORECAST_FAILED: reason('INTERNAL_SERVER_ERROR', 'The {model} forecast failed'),
  INTERNAL: reason('INTERNAL_SERVER_ERROR', 'Internal server error'),
  UNKNOWN_JOB: reason('NOT_FOUND', 'No job named {job}'),
  JOBS_DISABLED: reason('PRECONDITION_FAILED', 'Scheduled jobs are switched off on this server (JOBS=off)'),
  ADMIN_TOKEN_INVALID: reason(
    'FORBIDDEN',
    'The first-admin token is missing or wrong: run admin:create on the server machine as its user',
  ),
  ADMIN_EXISTS: reason('CONFLICT', 'An admin exists already: sign in as an admin to create another'),
  PRICE_FILE_INVALID: reason('UNPROCESSABLE_CONTENT', 'Price file refused: {detail}'),
  PRICE_SYNC_OFF: reason(
    'PRECONDITION_FAILED',
    'Price sync is off on this server (PRICES_SYNC_URL=off, or NODE_ENV=test)',
  ),
  PRICE_SYNC_FAILED: reason('SERVICE_UNAVAILABLE', 'Price sync failed: {detail}'),
  // why a scheduled job's run failed (recorded on the run, per symbol for sync-prices)
  EXCHANGE_UNREACHABLE: reason(
    'SERVICE_UNAVAILABLE',
    'The exchange did not answer for {symbol}; nothing was stored',
  ),
  EXCHANGE_REFUSED: reason(
    'SERVICE_UNAVAILABLE',
    'The exchange refused {symbol} (HTTP {status}); nothing was stored',
  ),
  EXCHANGE_BAD_RESPONSE: reason(
    'SERVICE_UNAVAILABLE',
    'The exchange sent something other than candles for {symbol}; nothing was stored',
  ),
  JOB_TIMED_OUT: reason(
    'SERVICE_UNAVAILABLE',
    'Timed out after {seconds} s (its server stopped mid-run?) and no attempts are left',
  ),
  JOB_FAILED: reason('INTERNAL_SERVER_ERROR', 'The job failed on an internal error; see the server log'),
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

/** What a lookup found, or NOT_FOUND: `const row = found(await getLog(db, id), 'log', id)`. */
export function found<T>(row: T | null | undefined, entity: string, id: number | string): T {
  if (!row) fail('NOT_FOUND', { entity, id });
  return row;
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
