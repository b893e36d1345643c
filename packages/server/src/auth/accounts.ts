import { TRPCError } from '@trpc/server';
import type { Role, SessionUser } from '../context.ts';
import type { Database } from '../db/client.ts';
import { writeLog } from '../db/queries/logs.ts';
import { createSession, revokeOtherSessions, revokeSession } from '../db/queries/sessions.ts';
import {
  clearFailures,
  lockedUntil,
  lockUsername,
  recordFailure,
  usernameKey,
} from '../db/queries/throttle.ts';
import {
  deleteUserRow,
  findUserCredentials,
  getPasswordHash,
  getUserById,
  insertUser,
  lockAdmins,
  type PublicUser,
  updateUserRow,
} from '../db/queries/users.ts';
import { pgErrorCode } from '../errors.ts';
import { actions } from './actions.ts';
import { dummyHash, hashCost, hashPassword, verifyPassword } from './password.ts';

const UNIQUE_VIOLATION = '23505';

function conflictIfTaken(error: unknown): never {
  if (pgErrorCode(error) === UNIQUE_VIOLATION) {
    throw new TRPCError({ code: 'CONFLICT', message: 'That username is taken', cause: error });
  }
  throw error;
}

export async function registerUser(
  db: Database,
  input: { username: string; password: string; role?: Role; action?: string },
  cost: number,
): Promise<PublicUser> {
  const passwordHash = await hashPassword(input.password, cost);
  try {
    return await db.transaction(async (tx) => {
      const user = await insertUser(tx, {
        username: input.username,
        passwordHash,
        role: input.role ?? 'user',
      });
      await writeLog(tx, {
        userId: user.id,
        username: user.username,
        action: input.action ?? actions.register,
      });
      return user;
    });
  } catch (error) {
    conflictIfTaken(error);
  }
}

export type LoginResult =
  | { kind: 'ok'; token: string; expiresAt: Date; user: PublicUser }
  | { kind: 'invalid' }
  | { kind: 'locked'; until: Date };

/**
 * Checks a password under a per-username advisory lock, so the 5-failures-in-15-minutes limit holds
 * across every server process on the database. Unknown users cost a bcrypt verify too.
 */
export async function loginUser(
  db: Database,
  input: { username: string; password: string },
  cost: number,
  now = new Date(),
): Promise<LoginResult> {
  const key = usernameKey(input.username);
  return db.transaction(async (tx): Promise<LoginResult> => {
    await lockUsername(tx, key);
    const until = await lockedUntil(tx, key, now);
    if (until) return { kind: 'locked', until };
    const found = await findUserCredentials(tx, input.username);
    const ok = await verifyPassword(input.password, found?.passwordHash ?? (await dummyHash(cost)));
    if (!found || !ok) {
      await recordFailure(tx, key, now);
      await writeLog(tx, {
        userId: found?.id ?? null,
        username: input.username,
        action: actions.loginFailed,
      });
      return { kind: 'invalid' };
    }
    const { passwordHash, ...user } = found;
    // Upgrade legacy or weaker hashes while the plain password is at hand.
    if ((hashCost(passwordHash) ?? 0) < cost || !passwordHash.startsWith('$2b$')) {
      await updateUserRow(tx, user.id, { passwordHash: await hashPassword(input.password, cost) });
    }
    await clearFailures(tx, key);
    const session = await createSession(tx, user.id, now);
    await writeLog(tx, { userId: user.id, username: user.username, action: actions.loginSuccess });
    return { kind: 'ok', token: session.token, expiresAt: session.expiresAt, user };
  });
}

export async function logoutSession(db: Database, sessionId: number, user: SessionUser): Promise<void> {
  await db.transaction(async (tx) => {
    await revokeSession(tx, sessionId);
    await writeLog(tx, { userId: user.id, username: user.username, action: actions.logout });
  });
}

export type UpdateUserInput = {
  id: number;
  username?: string;
  password?: string;
  currentPassword?: string;
  role?: Role;
};

/**
 * Self may change own username and password (the latter needs the current password and revokes the
 * other sessions); only admins change roles or others' accounts; the last admin stays an admin.
 */
export async function updateUser(
  db: Database,
  actor: { user: SessionUser; sessionId: number },
  input: UpdateUserInput,
  cost: number,
): Promise<PublicUser> {
  const isSelf = actor.user.id === input.id;
  const isAdmin = actor.user.role === 'admin';
  if (!isSelf && !isAdmin)
    throw new TRPCError({ code: 'FORBIDDEN', message: 'You can only change your own account' });
  if (input.role !== undefined && !isAdmin)
    throw new TRPCError({ code: 'FORBIDDEN', message: 'Only admins change roles' });
  if (input.username === undefined && input.password === undefined && input.role === undefined) {
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: 'Nothing to change: give username, password or role',
    });
  }
  if (input.password !== undefined && isSelf) {
    if (!input.currentPassword) {
      throw new TRPCError({
        code: 'BAD_REQUEST',
        message: 'currentPassword is required to change your password',
      });
    }
    const current = await getPasswordHash(db, input.id);
    if (!current || !(await verifyPassword(input.currentPassword, current))) {
      throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Current password is wrong' });
    }
  }
  const passwordHash = input.password !== undefined ? await hashPassword(input.password, cost) : undefined;
  try {
    return await db.transaction(async (tx) => {
      const target = await getUserById(tx, input.id);
      if (!target) throw new TRPCError({ code: 'NOT_FOUND', message: `User ${input.id} not found` });
      if (input.role === 'user' && target.role === 'admin') {
        const admins = await lockAdmins(tx);
        if (admins.length <= 1) {
          throw new TRPCError({ code: 'PRECONDITION_FAILED', message: 'The last admin cannot be demoted' });
        }
      }
      const updated = await updateUserRow(tx, input.id, {
        ...(input.username !== undefined ? { username: input.username } : {}),
        ...(passwordHash !== undefined ? { passwordHash } : {}),
        ...(input.role !== undefined ? { role: input.role } : {}),
      });
      if (!updated) throw new TRPCError({ code: 'NOT_FOUND', message: `User ${input.id} not found` });
      if (passwordHash !== undefined) {
        await revokeOtherSessions(tx, input.id, isSelf ? actor.sessionId : null);
      }
      const fields = [
        input.username !== undefined ? 'username' : null,
        passwordHash !== undefined ? 'password' : null,
        input.role !== undefined ? `role=${input.role}` : null,
      ].filter((f): f is string => f !== null);
      await writeLog(tx, {
        userId: actor.user.id,
        username: actor.user.username,
        action: actions.userUpdated(input.id, fields),
      });
      return updated;
    });
  } catch (error) {
    conflictIfTaken(error);
  }
}

/** Deletes a user with their sessions and predictions; their log rows stay with user_id NULL. */
export async function deleteUser(db: Database, actor: SessionUser, id: number): Promise<PublicUser> {
  const isSelf = actor.id === id;
  if (!isSelf && actor.role !== 'admin') {
    throw new TRPCError({ code: 'FORBIDDEN', message: 'You can only delete your own account' });
  }
  return db.transaction(async (tx) => {
    const target = await getUserById(tx, id);
    if (!target) throw new TRPCError({ code: 'NOT_FOUND', message: `User ${id} not found` });
    if (target.role === 'admin') {
      const admins = await lockAdmins(tx);
      if (admins.length <= 1) {
        throw new TRPCError({ code: 'PRECONDITION_FAILED', message: 'The last admin cannot be deleted' });
      }
    }
    const deleted = await deleteUserRow(tx, id);
    if (!deleted) throw new TRPCError({ code: 'NOT_FOUND', message: `User ${id} not found` });
    await writeLog(tx, {
      userId: isSelf ? null : actor.id,
      username: actor.username,
      action: actions.userDeleted(id, target.username),
    });
    return deleted;
  });
}
