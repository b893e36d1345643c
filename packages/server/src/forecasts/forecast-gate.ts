import type { Database } from '../db/client.ts';
import {
  type ForecastLease,
  quotaState,
  releaseForecast,
  reserveForecast,
} from '../db/queries/forecast-quotas.ts';
import type { SessionUser } from '../db/queries/sessions.ts';
import { DomainError } from '../domain/errors.ts';
import {
  FORECAST_LEASE_MS,
  type ForecastLimits,
  forecastRefusal,
  IN_PROGRESS_RETRY_AFTER_SECONDS,
  inProgressError,
} from '../domain/forecast-policy.ts';
import { FairQueue, KeyLimitError, QueueFullError } from './fair-queue.ts';

/** Forecasts waiting for a slot beyond this, all users together, are refused (FORECASTS_BUSY). */
export const PREDICT_QUEUE_LIMIT = 1000;

/**
 * After a create of a user with one create in progress ends, a user with several waits this long before
 * its next starts (fair-queue.ts `singleGraceMs`): about the time a client takes to send its next request,
 * so that a flooder's creates do not start in that gap and run beside the next one.
 */
export const SINGLE_USER_GRACE_MS = 100;

/** Refusals remembered per process (users over their rate or daily cap); beyond it the oldest go. */
const MAX_REMEMBERED_REFUSALS = 10_000;

/** A daily-cap refusal is remembered at most this long (a failed create elsewhere may give one back). */
const DAILY_REFUSAL_MEMORY_MS = 10_000;

/**
 * A user refused more often than this within one second is flooding (resending as soon as refused):
 * its further refusals are answered late, after FLOOD_REFUSAL_DELAY_MS (at most the refusal's own
 * Retry-After), and no more than FLOOD_REFUSALS_PER_SECOND of them a second: each waits for its turn
 * (up to FLOOD_REFUSAL_MAX_DELAY_MS). Answering a refusal costs little, but a client that resends at
 * once turns every connection into a stream of them, and the event loop that answers them also runs
 * everyone else's creates: at one answer per connection per second, 200 connections still made
 * 100-200 requests a second and held the loop busy (docs/benchmarks.md, flood); in turn, a flooder
 * costs about 20 requests a second, and beyond 100 connections one per connection per
 * FLOOD_REFUSAL_MAX_DELAY_MS.
 */
export const FLOOD_REFUSALS_PER_SECOND = 10;
export const FLOOD_REFUSAL_DELAY_MS = 1000;
export const FLOOD_REFUSAL_MAX_DELAY_MS = 10_000;

/** The per-user refusals that can be paced (FORECASTS_BUSY is the whole server's, not one user's). */
const PACED_REASONS = new Set([
  'FORECAST_CONCURRENCY_LIMITED',
  'FORECAST_RATE_LIMITED',
  'FORECAST_DAILY_CAP',
]);

/**
 * The one way into forecast creation, for every face (tRPC, the legacy route, /api): the per-user limits
 * of domain/forecast-policy.ts, in this order:
 *
 * 1. a refusal this process saw for the user and that still holds (over the rate or the daily cap) is
 *    repeated without a query;
 * 2. the fair queue admits at most `userConcurrency` of a user's creates in this process, and refuses
 *    the rest at once: a flood costs no query and never fills the queue;
 * 3. one statement reserves the create in the database (rate, daily cap, creates in progress across all
 *    processes);
 * 4. the create waits for a slot in its user's turn (round-robin across users; a user with several
 *    creates admitted takes only the slots left over by users with one, nor in the gap between their
 *    requests: fair-queue.ts), runs, and gives its reservation back (the day's count too if nothing
 *    was stored).
 */
export class ForecastGate {
  readonly queue: FairQueue;
  /** by user: until when to repeat which refusal, and when it ends (for its Retry-After) */
  private readonly refusedUntil = new Map<
    number,
    { rememberUntilMs: number; retryAtMs: number; error: DomainError }
  >();

  constructor(
    readonly limits: ForecastLimits,
    slots: number,
    maxQueued = PREDICT_QUEUE_LIMIT,
  ) {
    this.queue = new FairQueue({
      slots,
      maxQueued,
      perKey: limits.userConcurrency,
      singleGraceMs: SINGLE_USER_GRACE_MS,
    });
  }

  /** counts each user's refusals in real time (not the injected clock): a flood is about request rate */
  private readonly pacer = new RefusalPacer();

  /**
   * Runs `task` (a create) for `user` within the limits, or throws the refusal (a DomainError with its
   * reason and `retryAfterSeconds`). `task` resolves once its forecast is stored. A flooding user's
   * refusals are thrown late (FLOOD_REFUSALS_PER_SECOND).
   */
  async run<T>(db: Database, user: SessionUser, now: Date, task: () => Promise<T>): Promise<T> {
    try {
      return await this.runWithinLimits(db, user, now, task);
    } catch (error) {
      if (error instanceof DomainError && PACED_REASONS.has(error.reason)) await this.pace(user.id, error);
      throw error;
    }
  }

  /** Past the flood rate, waits before the refusal is answered. */
  private async pace(userId: number, error: DomainError): Promise<void> {
    const retryAfter = Number((error.params as { retryAfterSeconds?: unknown }).retryAfterSeconds);
    const delayMs = this.pacer.delayFor(userId, Number.isFinite(retryAfter) ? retryAfter : 0, Date.now());
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
  }

  private async runWithinLimits<T>(
    db: Database,
    user: SessionUser,
    now: Date,
    task: () => Promise<T>,
  ): Promise<T> {
    const exempt = user.role === 'admin';
    if (!exempt) this.repeatRefusal(user.id, now);
    let lease: ForecastLease | null = null;
    let stored = false;
    try {
      return await this.queue.run(
        user.id,
        async () => {
          const value = await task();
          stored = true;
          return value;
        },
        async () => {
          lease = await reserveForecast(db, {
            userId: user.id,
            now,
            leaseMs: FORECAST_LEASE_MS,
            limits: this.limits,
            exempt,
          });
          if (!lease) await this.refuse(db, user.id, now, exempt);
        },
      );
    } catch (error) {
      if (error instanceof KeyLimitError) throw inProgressError(this.limits);
      if (error instanceof QueueFullError) {
        throw new DomainError('FORECASTS_BUSY', { retryAfterSeconds: IN_PROGRESS_RETRY_AFTER_SECONDS });
      }
      throw error;
    } finally {
      if (lease) {
        // Best effort: if the database is gone now, the lease expires by itself (FORECAST_LEASE_MS)
        // and the day's count stays one higher; the create's own answer is not changed by it.
        await releaseForecast(db, lease, { stored }).catch(() => {});
      }
    }
  }

  /** Throws the refusal this process already saw for the user, while it still holds. */
  private repeatRefusal(userId: number, now: Date): void {
    const seen = this.refusedUntil.get(userId);
    if (!seen) return;
    if (now.getTime() >= seen.rememberUntilMs) {
      this.refusedUntil.delete(userId);
      return;
    }
    const { reason, params } = seen.error;
    const retryAfterSeconds = Math.max(1, Math.ceil((seen.retryAtMs - now.getTime()) / 1000));
    throw new DomainError(reason, { ...params, retryAfterSeconds } as never);
  }

  /** After a refused reservation: throws why, and remembers a refusal that will hold for a while. */
  private async refuse(db: Database, userId: number, now: Date, exempt: boolean): Promise<never> {
    const state = await quotaState(db, { userId, now, limits: this.limits });
    const refusal = state && forecastRefusal(state, this.limits, now, exempt);
    // the state changed between the two statements (a create ended): call it "in progress", retry soon
    if (!refusal) throw inProgressError(this.limits);
    if (refusal.untilMs !== null) {
      const rememberUntilMs =
        refusal.error.reason === 'FORECAST_DAILY_CAP'
          ? Math.min(refusal.untilMs, now.getTime() + DAILY_REFUSAL_MEMORY_MS)
          : refusal.untilMs;
      if (this.refusedUntil.size >= MAX_REMEMBERED_REFUSALS) {
        const oldest = this.refusedUntil.keys().next();
        if (!oldest.done) this.refusedUntil.delete(oldest.value);
      }
      this.refusedUntil.set(userId, { rememberUntilMs, retryAtMs: refusal.untilMs, error: refusal.error });
    }
    throw refusal.error;
  }
}

/**
 * How late to answer a user's refusal: not at all for the first FLOOD_REFUSALS_PER_SECOND in a
 * one-second window; past them, at least FLOOD_REFUSAL_DELAY_MS (at most the refusal's own Retry-After)
 * and in turn: the user's paced refusals are answered 1/FLOOD_REFUSALS_PER_SECOND s apart, none later
 * than FLOOD_REFUSAL_MAX_DELAY_MS.
 */
export class RefusalPacer {
  private readonly users = new Map<number, { startMs: number; count: number; nextAnswerMs: number }>();

  delayFor(userId: number, retryAfterSeconds: number, nowMs: number): number {
    let user = this.users.get(userId);
    if (!user) {
      if (this.users.size >= MAX_REMEMBERED_REFUSALS) {
        const oldest = this.users.keys().next();
        if (!oldest.done) this.users.delete(oldest.value);
      }
      user = { startMs: nowMs, count: 0, nextAnswerMs: 0 };
      this.users.set(userId, user);
    } else if (nowMs - user.startMs >= 1000) {
      user.startMs = nowMs;
      user.count = 0;
    }
    user.count += 1;
    if (user.count <= FLOOD_REFUSALS_PER_SECOND) return 0;
    const least = Math.max(0, Math.min(FLOOD_REFUSAL_DELAY_MS, retryAfterSeconds * 1000));
    const answerAt = Math.min(Math.max(nowMs + least, user.nextAnswerMs), nowMs + FLOOD_REFUSAL_MAX_DELAY_MS);
    user.nextAnswerMs = answerAt + 1000 / FLOOD_REFUSALS_PER_SECOND;
    return answerAt - nowMs;
  }
}
