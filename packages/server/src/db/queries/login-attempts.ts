import { and, eq, lt, or, type SQL, sql } from 'drizzle-orm';
import {
  type AttemptCounts,
  type AttemptStats,
  loginPolicy,
  registrationPolicy,
} from '../../domain/login-policy.ts';
import { type Executor, queryRows } from '../client.ts';
import { knownClients, loginAttempts, registrationAttempts } from '../schema.ts';

/** One key per account whatever the case the username was typed in (trimmed by the input schema). */
export const usernameKey = (username: string) => username.toLowerCase().slice(0, 100);

/** The client address as stored ('' when the caller has none, e.g. a script using createCaller). */
export const clientKey = (ip: string | null) => (ip ?? '').slice(0, 64);

/**
 * Serialises slot reservations for one username across every server process on the database, for the
 * rest of the transaction: the per-username limits are exact however many attempts run at once. The
 * per-client and global counts are not serialised (a lock per client address would make every login
 * behind one proxy wait for the others while holding a pool connection), so attempts reserving at the
 * same instant from one client may each see the count before the others: a burst can pass those limits
 * by the attempts in flight at once (bounded by the bcrypt queue), never by more.
 */
export async function lockUsername(tx: Executor, key: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`login:${key}`}))`);
}

const iso = (date: Date) => date.toISOString();

type StatsRow = {
  pair_nth: string | Date | null;
  client_nth: string | Date | null;
  global_nth: string | Date | null;
  account_failures: number;
  account_latest: string | Date | null;
};

/**
 * Everything the policy needs about an attempt, in one statement: the counts of known failures, and the
 * same counts with pending attempts taken for failures (a pending attempt older than `pendingStaleMs` is
 * a known failure: its process died before writing the outcome).
 */
export async function attemptStats(
  tx: Executor,
  args: { key: string; client: string; userId: number | null; now: Date },
): Promise<AttemptCounts> {
  const { key, client, userId, now } = args;
  const since = (ms: number) => iso(new Date(now.getTime() - ms));
  const p = loginPolicy;
  const known = sql`(outcome = 'failed' or attempted_at <= ${since(p.pendingStaleMs)}::timestamptz)`;
  const all = sql`true`;
  const columns = (counted: SQL, suffix: string) => sql`
      (select attempted_at from login_attempts
        where username_key = ${key} and client_ip = ${client} and ${counted}
          and attempted_at > ${since(p.perPair.windowMs)}::timestamptz
        order by attempted_at desc offset ${p.perPair.failures - 1} limit 1) as ${sql.raw(`pair_nth${suffix}`)},
      (select attempted_at from login_attempts
        where client_ip = ${client} and ${counted} and attempted_at > ${since(p.perClient.windowMs)}::timestamptz
        order by attempted_at desc offset ${p.perClient.failures - 1} limit 1) as ${sql.raw(`client_nth${suffix}`)},
      (select attempted_at from login_attempts
        where ${counted} and attempted_at > ${since(p.global.windowMs)}::timestamptz
        order by attempted_at desc offset ${p.global.failures - 1} limit 1) as ${sql.raw(`global_nth${suffix}`)},
      (select count(*)::int from login_attempts
        where username_key = ${key} and ${counted}
          and attempted_at > ${since(p.perAccount.windowMs)}::timestamptz) as ${sql.raw(`account_failures${suffix}`)},
      (select max(attempted_at) from login_attempts
        where username_key = ${key} and ${counted}
          and attempted_at > ${since(p.perAccount.windowMs)}::timestamptz) as ${sql.raw(`account_latest${suffix}`)}`;
  const [row] = await queryRows<
    { [K in keyof StatsRow as `${K}_known` | `${K}_all`]: StatsRow[K] } & { known_client: boolean }
  >(
    tx,
    sql`select ${columns(known, '_known')}, ${columns(all, '_all')},
      exists (select 1 from known_clients
        where user_id = ${userId ?? 0} and client_ip = ${client}
          and last_success_at > ${since(p.knownClientMs)}::timestamptz) as known_client`,
  );
  const date = (v: string | Date | null | undefined) => (v == null ? null : new Date(v));
  const knownClient = row?.known_client === true;
  const stats = (suffix: '_known' | '_all'): AttemptStats => ({
    pairNth: date(row?.[`pair_nth${suffix}`]),
    clientNth: date(row?.[`client_nth${suffix}`]),
    globalNth: date(row?.[`global_nth${suffix}`]),
    accountFailures: Number(row?.[`account_failures${suffix}`] ?? 0),
    accountLatest: date(row?.[`account_latest${suffix}`]),
    knownClient,
  });
  return { known: stats('_known'), withPending: stats('_all') };
}

/** Reserves the attempt's slot: it may count as a failure until its outcome is written. */
export async function reserveAttempt(
  tx: Executor,
  args: { key: string; client: string; now: Date },
): Promise<number> {
  const [row] = await tx
    .insert(loginAttempts)
    .values({ usernameKey: args.key, clientIp: args.client, attemptedAt: args.now, outcome: 'pending' })
    .returning({ id: loginAttempts.id });
  if (!row) throw new Error('login attempt insert returned no row');
  return row.id;
}

export async function markAttemptFailed(db: Executor, attemptId: number): Promise<void> {
  await db.update(loginAttempts).set({ outcome: 'failed' }).where(eq(loginAttempts.id, attemptId));
}

/** Gives a slot back without counting it (the password was never checked). */
export async function releaseAttempt(db: Executor, attemptId: number): Promise<void> {
  await db.delete(loginAttempts).where(eq(loginAttempts.id, attemptId));
}

/**
 * After a success: this attempt and this client's earlier failures for the account no longer count
 * (other clients' failures do, and pending attempts of this client stay until they finish), and the
 * client is remembered as one the account signs in from.
 */
export async function recordSuccess(
  tx: Executor,
  args: { attemptId: number; key: string; client: string; userId: number; now: Date },
): Promise<void> {
  await tx
    .delete(loginAttempts)
    .where(
      or(
        eq(loginAttempts.id, args.attemptId),
        and(
          eq(loginAttempts.usernameKey, args.key),
          eq(loginAttempts.clientIp, args.client),
          eq(loginAttempts.outcome, 'failed'),
        ),
      ),
    );
  await tx
    .insert(knownClients)
    .values({ userId: args.userId, clientIp: args.client, lastSuccessAt: args.now })
    .onConflictDoUpdate({
      target: [knownClients.userId, knownClients.clientIp],
      set: { lastSuccessAt: args.now },
    });
}

/** Deletes attempts too old to count anywhere, and clients of this user not seen for 30 days. */
export async function pruneLoginState(db: Executor, userId: number, now: Date): Promise<void> {
  await db
    .delete(loginAttempts)
    .where(lt(loginAttempts.attemptedAt, new Date(now.getTime() - loginPolicy.keepAttemptsMs)));
  await db
    .delete(knownClients)
    .where(
      and(
        eq(knownClients.userId, userId),
        lt(knownClients.lastSuccessAt, new Date(now.getTime() - loginPolicy.knownClientMs)),
      ),
    );
}

/**
 * Counts a registration for a client address unless it is over the limit; returns when it may try
 * again if it is. Serialised per address across processes.
 */
export async function reserveRegistration(
  tx: Executor,
  args: { client: string; now: Date },
): Promise<Date | null> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`register:${args.client}`}))`);
  const since = new Date(args.now.getTime() - registrationPolicy.windowMs);
  const [nth] = await tx
    .select({ at: registrationAttempts.attemptedAt })
    .from(registrationAttempts)
    .where(
      and(
        eq(registrationAttempts.clientIp, args.client),
        sql`${registrationAttempts.attemptedAt} > ${iso(since)}::timestamptz`,
      ),
    )
    .orderBy(sql`${registrationAttempts.attemptedAt} desc`)
    .offset(registrationPolicy.perClient - 1)
    .limit(1);
  if (nth) return new Date(nth.at.getTime() + registrationPolicy.windowMs);
  await tx.insert(registrationAttempts).values({ clientIp: args.client, attemptedAt: args.now });
  await tx
    .delete(registrationAttempts)
    .where(and(eq(registrationAttempts.clientIp, args.client), lt(registrationAttempts.attemptedAt, since)));
  return null;
}
