import { and, eq, gt, sql } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { loginFailures, loginLockouts } from '../schema.ts';

export const MAX_FAILURES = 5;
export const FAILURE_WINDOW_MS = 15 * 60 * 1000;
export const LOCKOUT_MS = 15 * 60 * 1000;

export const usernameKey = (username: string) => username.toLowerCase().slice(0, 100);

/**
 * Serialises login attempts for one username across every server process sharing the database, for
 * the rest of the transaction.
 */
export async function lockUsername(tx: Executor, key: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`login:${key}`}))`);
}

export async function lockedUntil(db: Executor, key: string, now: Date): Promise<Date | null> {
  const [row] = await db
    .select({ until: loginLockouts.lockedUntil })
    .from(loginLockouts)
    .where(and(eq(loginLockouts.usernameKey, key), gt(loginLockouts.lockedUntil, now)))
    .limit(1);
  return row?.until ?? null;
}

/** Records a failure; returns the lockout end when this failure reaches the limit. */
export async function recordFailure(db: Executor, key: string, now: Date): Promise<Date | null> {
  await db.insert(loginFailures).values({ usernameKey: key, failedAt: now });
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(loginFailures)
    .where(
      and(
        eq(loginFailures.usernameKey, key),
        gt(loginFailures.failedAt, new Date(now.getTime() - FAILURE_WINDOW_MS)),
      ),
    );
  if ((row?.n ?? 0) < MAX_FAILURES) return null;
  const until = new Date(now.getTime() + LOCKOUT_MS);
  await db
    .insert(loginLockouts)
    .values({ usernameKey: key, lockedUntil: until })
    .onConflictDoUpdate({ target: loginLockouts.usernameKey, set: { lockedUntil: until } });
  // The lockout now carries the state: start the next window empty.
  await db.delete(loginFailures).where(eq(loginFailures.usernameKey, key));
  return until;
}

export async function clearFailures(db: Executor, key: string): Promise<void> {
  await db.delete(loginFailures).where(eq(loginFailures.usernameKey, key));
  await db.delete(loginLockouts).where(eq(loginLockouts.usernameKey, key));
}
