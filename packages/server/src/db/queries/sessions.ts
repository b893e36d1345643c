import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, isNull, ne, sql } from 'drizzle-orm';
import { type Database, type Executor, preparedQuery } from '../client.ts';
import { type Role, sessions, users } from '../schema.ts';

export type SessionUser = { id: number; username: string; role: Role };
export type Session = { id: number; user: SessionUser; expiresAt: Date };

export const SESSION_TTL_MS = 14 * 24 * 60 * 60 * 1000;

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** A new random bearer token (256 bits) and its session row; only the hash is stored. */
export async function createSession(
  db: Executor,
  userId: number,
  now = new Date(),
): Promise<{ token: string; expiresAt: Date; id: number }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  const [row] = await db
    .insert(sessions)
    .values({ userId, tokenHash: hashToken(token), expiresAt, createdAt: now })
    .returning({ id: sessions.id });
  if (!row) throw new Error('session insert returned no row');
  return { token, expiresAt, id: row.id };
}

const sessionByTokenHash = (db: Database) =>
  preparedQuery(db, 'sessionByTokenHash', (database) =>
    database
      .select({
        id: sessions.id,
        expiresAt: sessions.expiresAt,
        userId: users.id,
        username: users.username,
        role: users.role,
      })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(
        and(
          eq(sessions.tokenHash, sql.placeholder('tokenHash')),
          isNull(sessions.revokedAt),
          gt(sessions.expiresAt, sql.placeholder('now')),
        ),
      )
      .limit(1)
      .prepare('session_by_token_hash'),
  );

/**
 * The live (unexpired, unrevoked) session for a token, with its user; null otherwise. Runs on every
 * authenticated request, so the query is prepared once per database.
 */
export async function findSessionByToken(db: Database, token: string): Promise<Session | null> {
  if (token.length < 20 || token.length > 200) return null;
  const [row] = await sessionByTokenHash(db).execute({
    tokenHash: hashToken(token),
    // placeholders skip the column's Date encoding: pass the timestamp as text
    now: new Date().toISOString(),
  });
  if (!row) return null;
  return {
    id: row.id,
    expiresAt: row.expiresAt,
    user: { id: row.userId, username: row.username, role: row.role },
  };
}

export async function revokeSession(db: Executor, sessionId: number): Promise<void> {
  await db.update(sessions).set({ revokedAt: new Date() }).where(eq(sessions.id, sessionId));
}

/** Revokes every live session of a user except `keepSessionId` (after a password change). */
export async function revokeOtherSessions(db: Executor, userId: number, keepSessionId: number | null) {
  const conditions = [eq(sessions.userId, userId), isNull(sessions.revokedAt)];
  if (keepSessionId !== null) conditions.push(ne(sessions.id, keepSessionId));
  await db
    .update(sessions)
    .set({ revokedAt: new Date() })
    .where(and(...conditions));
}
