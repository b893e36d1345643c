import { sql } from 'drizzle-orm';
import {
  dailyCapFor,
  type ForecastLimits,
  type QuotaState,
  TOKEN_EPSILON,
  tokenCost,
  utcDay,
} from '../../domain/forecast-policy.ts';
import { type Executor, queryRows } from '../client.ts';

/** One create's hold on its user's quota: released by `releaseForecast` when the create ends. */
export type ForecastLease = { userId: number; until: string; day: string };

const iso = (date: Date) => date.toISOString();

/**
 * A one-row relation whose evaluation turns off, for this statement's own transaction only, the wait for
 * the commit's WAL flush. Without it each quota statement waits for a disk flush (measured 10 ms each on a
 * busy host, against 0.8 ms for a round trip: docs/benchmarks.md), and a create makes two. What a
 * PostgreSQL crash can lose is the last fraction of a second of quota changes: a reservation (the limit
 * is briefly looser) or a release (its lease expires by itself); the forecast rows stay durable.
 */
const noFlushWait = sql`(select set_config('synchronous_commit', 'off', true)) as no_flush_wait`;

/**
 * Reserves one create for the user, in one statement, if every limit allows it: takes a token from the
 * bucket (refilled for the time since it was last touched), counts one more forecast stored today and
 * adds a lease to the user's creates in progress (dropping expired ones). The row lock of the upsert
 * serialises one user's reservations across every process; a refused reservation writes nothing and
 * returns null (then `quotaState` says why).
 */
export async function reserveForecast(
  db: Executor,
  args: { userId: number; now: Date; leaseMs: number; limits: ForecastLimits; exempt: boolean },
): Promise<ForecastLease | null> {
  const { userId, now, limits, exempt } = args;
  const at = iso(now);
  const day = utcDay(now);
  const until = iso(new Date(now.getTime() + args.leaseMs));
  const cost = tokenCost(limits, exempt);
  const perSecond = (limits.ratePerMinute ?? 0) / 60;
  const cap = dailyCapFor(limits, exempt);
  const refilled = sql`least(${limits.burst}::float8, q.tokens + greatest(0, extract(epoch from (${at}::timestamptz - q.refilled_at))::float8) * ${perSecond}::float8)`;
  const storedToday = sql`(case when q.day = ${day}::date then q.stored else 0 end)`;
  const rows = await queryRows<{ granted: number }>(
    db,
    sql`insert into forecast_quotas as q (user_id, tokens, refilled_at, day, stored, leases)
      select ${userId}, ${limits.burst}::float8 - ${cost}, ${at}::timestamptz, ${day}::date, 1, array[${until}::timestamptz]
      from ${noFlushWait}
      on conflict (user_id) do update set
        tokens = ${refilled} - ${cost},
        refilled_at = greatest(q.refilled_at, ${at}::timestamptz),
        day = ${day}::date,
        stored = ${storedToday} + 1,
        leases = array(select l from unnest(q.leases) l where l > ${at}::timestamptz) || ${until}::timestamptz
      where (select count(*) from unnest(q.leases) l where l > ${at}::timestamptz) < ${limits.userConcurrency}
        and ${storedToday} < ${cap}
        and ${refilled} >= ${cost} - ${TOKEN_EPSILON}::float8
      returning 1 as granted`,
  );
  return rows.length > 0 ? { userId, until, day } : null;
}

/** The user's quota as of `now` (after a refused reservation: why it was refused). */
export async function quotaState(
  db: Executor,
  args: { userId: number; now: Date; limits: ForecastLimits },
): Promise<QuotaState | null> {
  const at = iso(args.now);
  const [row] = await queryRows<{ tokens: number; stored_today: number; in_progress: number }>(
    db,
    sql`select
        least(${args.limits.burst}::float8, q.tokens + greatest(0, extract(epoch from (${at}::timestamptz - q.refilled_at))::float8) * ${(args.limits.ratePerMinute ?? 0) / 60}::float8) as tokens,
        (case when q.day = ${utcDay(args.now)}::date then q.stored else 0 end) as stored_today,
        (select count(*)::int from unnest(q.leases) l where l > ${at}::timestamptz) as in_progress
      from forecast_quotas q where q.user_id = ${args.userId}`,
  );
  if (!row) return null;
  return {
    tokens: Number(row.tokens),
    storedToday: Number(row.stored_today),
    inProgress: Number(row.in_progress),
  };
}

/**
 * Ends a create's hold: removes its lease (one copy, if it has not expired already) and, when the create
 * stored nothing, gives back the day's count it reserved. Tokens are not given back: the rate limit
 * counts attempts.
 */
export async function releaseForecast(
  db: Executor,
  lease: ForecastLease,
  outcome: { stored: boolean },
): Promise<void> {
  const position = sql`array_position(leases, ${lease.until}::timestamptz)`;
  await db.execute(
    sql`update forecast_quotas set
        leases = case when ${position} is null then leases
          else leases[:${position} - 1] || leases[${position} + 1:] end,
        stored = case when ${!outcome.stored}::boolean and day = ${lease.day}::date and stored > 0 then stored - 1
          else stored end
      from ${noFlushWait}
      where user_id = ${lease.userId}`,
  );
}
