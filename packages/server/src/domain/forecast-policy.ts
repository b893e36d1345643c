import { DomainError } from './errors.ts';

/**
 * Who may create a forecast, and when (README "Configuration", forecasts/forecast-gate.ts). Per user,
 * counted in the database so the limits hold across every server process:
 *
 * - in progress: at most `userConcurrency` of a user's creates at once (admitted in a process, waiting
 *   for a slot or running), in each process and across all of them;
 * - rate: a token bucket of `burst` forecasts, refilled at `ratePerMinute`;
 * - a day: at most `dailyCap` forecasts stored per UTC day (deleting one gives nothing back, so a
 *   create-and-delete loop cannot write without bound; a create that fails is not counted).
 *
 * Admins are held to the in-progress limit (it is what keeps one account's burst from taking every
 * other user's turn, and an admin's script floods like anyone's) but not to the rate or the daily cap,
 * which budget what an account anyone can register may write.
 */
export type ForecastLimits = {
  userConcurrency: number;
  /** null = no rate limit */
  ratePerMinute: number | null;
  burst: number;
  /** null = no cap */
  dailyCap: number | null;
};

/**
 * A create still counts as in progress this long after it started unless it ends first; only a create
 * whose process died is still "in progress" when its lease ends.
 */
export const FORECAST_LEASE_MS = 5 * 60_000;

/** Retry-After for "too many in progress": creates take milliseconds, so one second is plenty. */
export const IN_PROGRESS_RETRY_AFTER_SECONDS = 1;

/** Float slack for the bucket (a token refilled over exactly its time must count as whole). */
export const TOKEN_EPSILON = 1e-9;

/** What one create costs from the bucket: nothing for admins or with no rate limit. */
export const tokenCost = (limits: ForecastLimits, exempt: boolean) =>
  exempt || limits.ratePerMinute === null ? 0 : 1;

/** The daily cap that applies ("none" as a number the database can compare with). */
export const dailyCapFor = (limits: ForecastLimits, exempt: boolean) =>
  exempt || limits.dailyCap === null ? 2_147_483_647 : limits.dailyCap;

/** The UTC day of an instant, 'YYYY-MM-DD'. */
export const utcDay = (at: Date) => at.toISOString().slice(0, 10);

/** A user's quota as of now (db/queries/forecast-quotas.ts reads it). */
export type QuotaState = { tokens: number; storedToday: number; inProgress: number };

const secondsUntil = (ms: number) => Math.max(1, Math.ceil(ms / 1000 - TOKEN_EPSILON));

/**
 * Why a create is refused, with when to retry (`untilMs`: the exact instant it could pass, for a process
 * to refuse repeats without asking the database again), or null if it may go ahead.
 */
export function forecastRefusal(
  state: QuotaState,
  limits: ForecastLimits,
  now: Date,
  exempt: boolean,
): { error: DomainError; untilMs: number | null } | null {
  if (state.inProgress >= limits.userConcurrency) return { error: inProgressError(limits), untilMs: null };
  if (state.storedToday >= dailyCapFor(limits, exempt)) {
    const tomorrow = new Date(`${utcDay(now)}T00:00:00Z`).getTime() + 86_400_000;
    return {
      error: new DomainError('FORECAST_DAILY_CAP', {
        limit: limits.dailyCap ?? 0,
        resetsAt: utcDay(new Date(tomorrow)),
        retryAfterSeconds: secondsUntil(tomorrow - now.getTime()),
      }),
      untilMs: tomorrow,
    };
  }
  const cost = tokenCost(limits, exempt);
  if (cost > 0 && limits.ratePerMinute !== null && state.tokens < cost - TOKEN_EPSILON) {
    const waitMs = ((cost - state.tokens) * 60_000) / limits.ratePerMinute;
    return {
      error: new DomainError('FORECAST_RATE_LIMITED', {
        perMinute: limits.ratePerMinute,
        burst: limits.burst,
        retryAfterSeconds: secondsUntil(waitMs),
      }),
      untilMs: now.getTime() + Math.floor(waitMs),
    };
  }
  return null;
}

export const inProgressError = (limits: ForecastLimits) =>
  new DomainError('FORECAST_CONCURRENCY_LIMITED', {
    limit: limits.userConcurrency,
    retryAfterSeconds: IN_PROGRESS_RETRY_AFTER_SECONDS,
  });
