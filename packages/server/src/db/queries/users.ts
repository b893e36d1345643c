import { and, asc, count, eq, gt, ilike, type SQL, sql } from 'drizzle-orm';
import type { Database, Executor } from '../client.ts';
import { type Role, users } from '../schema.ts';
import { escapeLike, type Viewer, visibleTo } from './scope.ts';

/** Every column but `password`: what any caller outside authentication gets. */
export const publicUserColumns = {
  id: users.id,
  username: users.username,
  role: users.role,
  createdAt: users.createdAt,
};

export type PublicUser = Omit<typeof users.$inferSelect, 'password'>;

const byUsernameCi = (username: string) => eq(sql`lower(${users.username})`, username.toLowerCase());

export async function insertUser(
  db: Executor,
  values: { username: string; passwordHash: string; role?: Role },
): Promise<PublicUser> {
  const [row] = await db
    .insert(users)
    .values({ username: values.username, password: values.passwordHash, role: values.role ?? 'user' })
    .returning(publicUserColumns);
  if (!row) throw new Error('user insert returned no row');
  return row;
}

/** Only for authentication: the one query that reads the password hash. */
export async function findUserCredentials(
  db: Executor,
  username: string,
): Promise<(PublicUser & { passwordHash: string }) | null> {
  const [row] = await db
    .select({ ...publicUserColumns, passwordHash: users.password })
    .from(users)
    .where(byUsernameCi(username))
    .limit(1);
  return row ?? null;
}

export async function getPasswordHash(db: Executor, id: number): Promise<string | null> {
  const [row] = await db
    .select({ passwordHash: users.password })
    .from(users)
    .where(eq(users.id, id))
    .limit(1);
  return row?.passwordHash ?? null;
}

/**
 * The user `id` if `viewer` may see them: themself, or anyone for an admin (scope.ts). `viewer: null`
 * is the server acting for itself (sign-in, session checks), never a request's caller.
 */
export function getUserById(db: Executor, id: number, viewer: Viewer | null): Promise<PublicUser | null> {
  return visibleUser(db, eq(users.id, id), viewer);
}

/** The user with this username (any case) if `viewer` may see them, as getUserById. */
export function getUserByUsername(
  db: Executor,
  username: string,
  viewer: Viewer | null,
): Promise<PublicUser | null> {
  return visibleUser(db, byUsernameCi(username), viewer);
}

/** The one user `where` picks, if `viewer` may see them (`null`: the server itself). */
async function visibleUser(db: Executor, where: SQL, viewer: Viewer | null): Promise<PublicUser | null> {
  const [row] = await db
    .select(publicUserColumns)
    .from(users)
    .where(and(where, viewer ? visibleTo(users.id, viewer) : undefined))
    .limit(1);
  return row ?? null;
}

/** Keyset-paginated on id, ascending. */
export async function listUsers(
  db: Database,
  args: { cursor?: number; limit: number; search?: string },
): Promise<{ items: PublicUser[]; nextCursor: number | null }> {
  const rows = await db
    .select(publicUserColumns)
    .from(users)
    .where(
      and(
        args.cursor !== undefined ? gt(users.id, args.cursor) : undefined,
        args.search ? ilike(users.username, `%${escapeLike(args.search)}%`) : undefined,
      ),
    )
    .orderBy(asc(users.id))
    .limit(args.limit + 1);
  const items = rows.slice(0, args.limit);
  return { items, nextCursor: rows.length > args.limit ? (items.at(-1)?.id ?? null) : null };
}

export async function updateUserRow(
  db: Executor,
  id: number,
  values: { username?: string; passwordHash?: string; role?: Role },
): Promise<PublicUser | null> {
  const [row] = await db
    .update(users)
    .set({
      ...(values.username !== undefined ? { username: values.username } : {}),
      ...(values.passwordHash !== undefined ? { password: values.passwordHash } : {}),
      ...(values.role !== undefined ? { role: values.role } : {}),
    })
    .where(eq(users.id, id))
    .returning(publicUserColumns);
  return row ?? null;
}

export async function deleteUserRow(db: Executor, id: number): Promise<PublicUser | null> {
  const [row] = await db.delete(users).where(eq(users.id, id)).returning(publicUserColumns);
  return row ?? null;
}

/** Admin ids, row-locked so that two concurrent demotions cannot remove the last admin. */
export async function lockAdmins(db: Executor): Promise<number[]> {
  const rows = await db.select({ id: users.id }).from(users).where(eq(users.role, 'admin')).for('update');
  return rows.map((r) => r.id);
}

export async function countUsers(db: Executor): Promise<number> {
  const [row] = await db.select({ n: count() }).from(users);
  return row?.n ?? 0;
}
