import type { Role, SessionUser } from '../context.ts';
import type { Database } from '../db/client.ts';
import {
  attemptStats,
  clientKey,
  lockUsername,
  markAttemptFailed,
  pruneLoginState,
  recordSuccess,
  releaseAttempt,
  reserveAttempt,
  reserveRegistration,
  usernameKey,
} from '../db/queries/login-attempts.ts';
import { writeLog } from '../db/queries/logs.ts';
import { createSession, revokeOtherSessions, revokeSession } from '../db/queries/sessions.ts';
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
import { actions } from '../domain/actions.ts';
import { fail } from '../domain/errors.ts';
import { type LoginScope, loginDecision, loginPolicy } from '../domain/login-policy.ts';
import { FOREIGN_KEY_VIOLATION, pgErrorCode } from '../errors.ts';
import { hashCost, hashPassword, verifyPassword } from './password.ts';
import type { PasswordWork } from './password-work.ts';

const UNIQUE_VIOLATION = '23505';

export function conflictIfTaken(error: unknown): never {
  if (pgErrorCode(error) === UNIQUE_VIOLATION) {
    fail('USERNAME_TAKEN', {}, { cause: error });
  }
  throw error;
}

/** `PasswordWork` runs the hash in the server's bounded bcrypt queue; a plain cost hashes directly (scripts). */
export type Hasher = PasswordWork | number;

const hashWith = (hasher: Hasher, password: string) =>
  typeof hasher === 'number' ? hashPassword(password, hasher) : hasher.hash(password);

const verifyWith = (hasher: Hasher, password: string, passwordHash: string) =>
  typeof hasher === 'number' ? verifyPassword(password, passwordHash) : hasher.verify(password, passwordHash);

export async function registerUser(
  db: Database,
  input: { username: string; password: string; role?: Role; action?: string },
  hasher: Hasher,
): Promise<PublicUser> {
  const passwordHash = await hashWith(hasher, input.password);
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

/** Counts a registration against its client's limit (registrationPolicy); RATE_LIMITED beyond it. */
export async function limitRegistration(db: Database, clientIp: string | null, now = new Date()) {
  const until = await db.transaction((tx) => reserveRegistration(tx, { client: clientKey(clientIp), now }));
  if (until) fail('RATE_LIMITED', { retryAfterSeconds: secondsUntil(until, now) });
}

const secondsUntil = (until: Date, now: Date) =>
  Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));

export type LoginResult =
  | { kind: 'ok'; token: string; expiresAt: Date; user: PublicUser }
  | { kind: 'invalid' }
  | { kind: 'locked'; until: Date; retryAfterSeconds: number; scope: LoginScope }
  | { kind: 'busy'; retryAfterSeconds: number };

/** Seconds a client should wait when pending attempts on its scope did not finish in `pendingWaitMs`. */
export const LOGIN_BUSY_RETRY_AFTER_SECONDS = 2;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Checks a password without holding a database connection while bcrypt runs:
 *  1. a short transaction, serialised per username across every server process, reads the credentials,
 *     applies the limits (domain/login-policy.ts) and reserves the attempt's slot;
 *  2. bcrypt runs in the bounded queue (`passwords`), connection released;
 *  3. a short transaction writes the outcome (a failure, or the session).
 * No slot is reserved while known failures plus pending (reserved, unwritten) attempts reach a limit, so
 * concurrent attempts never get more guesses than the limits allow. Such an attempt is not told it is
 * locked out unless the known failures alone reach the limit: it waits, holding no connection, for the
 * pending outcomes (a success forgets its client's failures, so concurrent right passwords all pass),
 * and answers `busy` with a short Retry-After when no outcome was written for `pendingWaitMs`. Unknown users cost a bcrypt verify
 * too and are limited alike. `at` fixes the clock (tests); by default each step reads it.
 */
export async function loginUser(
  db: Database,
  passwords: PasswordWork,
  input: { username: string; password: string; clientIp: string | null },
  at?: Date,
): Promise<LoginResult> {
  const key = usernameKey(input.username);
  const client = clientKey(input.clientIp);
  let giveUpAt = Date.now() + loginPolicy.pendingWaitMs;
  let lastCounts = '';
  let reserved: { found: Awaited<ReturnType<typeof findUserCredentials>>; attemptId: number } | null = null;
  let now = at ?? new Date();
  for (let round = 0; !reserved; round++) {
    now = at ?? new Date();
    const step = await db.transaction(async (tx) => {
      await lockUsername(tx, key);
      const found = await findUserCredentials(tx, input.username);
      const counts = await attemptStats(tx, { key, client, userId: found?.id ?? null, now });
      const decision = loginDecision(counts, now);
      if (decision.kind === 'busy') return { kind: 'busy', counts: JSON.stringify(counts) } as const;
      if (decision.kind !== 'free') return decision;
      return { kind: 'reserved', found, attemptId: await reserveAttempt(tx, { key, client, now }) } as const;
    });
    if (step.kind === 'locked') {
      const { until, scope } = step;
      return { kind: 'locked', until, scope, retryAfterSeconds: secondsUntil(until, now) };
    }
    if (step.kind === 'reserved') {
      reserved = step;
    } else {
      // outcomes are being written: the wait is making progress, so give it more time
      if (step.counts !== lastCounts) giveUpAt = Date.now() + loginPolicy.pendingWaitMs;
      lastCounts = step.counts;
      if (Date.now() >= giveUpAt) return { kind: 'busy', retryAfterSeconds: LOGIN_BUSY_RETRY_AFTER_SECONDS };
      // pending attempts end after one bcrypt check (tens to hundreds of ms); poll with a little jitter
      await sleep(Math.min(250, 20 * 2 ** Math.min(round, 4)) * (0.75 + Math.random() / 2));
    }
  }
  const { found, attemptId } = reserved;

  let ok: boolean;
  let upgradedHash: string | null = null;
  try {
    ok = await passwords.verify(input.password, found?.passwordHash ?? null);
    // Upgrade legacy or weaker hashes while the plain password is at hand.
    if (ok && found && needsRehash(found.passwordHash, passwords.cost)) {
      upgradedHash = await passwords.hash(input.password);
    }
  } catch (error) {
    // not evaluated (the bcrypt queue is full): the slot does not count
    await releaseAttempt(db, attemptId);
    throw error;
  }

  if (!found || !ok) {
    await db.transaction(async (tx) => {
      await markAttemptFailed(tx, attemptId);
      await writeLog(tx, {
        userId: found?.id ?? null,
        username: input.username,
        action: actions.loginFailed,
      });
    });
    return { kind: 'invalid' };
  }
  const { passwordHash: _, ...user } = found;
  try {
    return await db.transaction(async (tx) => {
      if (upgradedHash) await updateUserRow(tx, user.id, { passwordHash: upgradedHash });
      await recordSuccess(tx, { attemptId, key, client, userId: user.id, now });
      if (attemptId % 64 === 0) await pruneLoginState(tx, user.id, now);
      const session = await createSession(tx, user.id, now);
      await writeLog(tx, { userId: user.id, username: user.username, action: actions.loginSuccess });
      return { kind: 'ok' as const, token: session.token, expiresAt: session.expiresAt, user };
    });
  } catch (error) {
    // the user was deleted while their password was being checked
    if (pgErrorCode(error) !== FOREIGN_KEY_VIOLATION) throw error;
    await releaseAttempt(db, attemptId);
    return { kind: 'invalid' };
  }
}

const needsRehash = (passwordHash: string, cost: number) =>
  (hashCost(passwordHash) ?? 0) < cost || !passwordHash.startsWith('$2b$');

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
  hasher: Hasher,
): Promise<PublicUser> {
  const isSelf = actor.user.id === input.id;
  if (input.username === undefined && input.password === undefined && input.role === undefined) {
    fail('NOTHING_TO_CHANGE');
  }
  // Read under the owner-or-admin scope: another user's account is not found, like a missing id.
  if (!(await getUserById(db, input.id, actor.user))) fail('NOT_FOUND', { entity: 'user', id: input.id });
  if (input.role !== undefined && actor.user.role !== 'admin') fail('ROLE_CHANGE_ADMIN_ONLY');
  if (input.password !== undefined && isSelf) {
    if (!input.currentPassword) fail('CURRENT_PASSWORD_REQUIRED');
    const current = await getPasswordHash(db, input.id);
    if (!current || !(await verifyWith(hasher, input.currentPassword, current))) {
      fail('CURRENT_PASSWORD_WRONG');
    }
  }
  const passwordHash = input.password !== undefined ? await hashWith(hasher, input.password) : undefined;
  try {
    return await db.transaction(async (tx) => {
      const target = await getUserById(tx, input.id, actor.user);
      if (!target) fail('NOT_FOUND', { entity: 'user', id: input.id });
      if (input.role === 'user' && target.role === 'admin') {
        const admins = await lockAdmins(tx);
        if (admins.length <= 1) {
          fail('LAST_ADMIN_DEMOTION');
        }
      }
      const updated = await updateUserRow(tx, input.id, {
        ...(input.username !== undefined ? { username: input.username } : {}),
        ...(passwordHash !== undefined ? { passwordHash } : {}),
        ...(input.role !== undefined ? { role: input.role } : {}),
      });
      if (!updated) fail('NOT_FOUND', { entity: 'user', id: input.id });
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
  return db.transaction(async (tx) => {
    // Read under the owner-or-admin scope: another user's account is not found, like a missing id.
    const target = await getUserById(tx, id, actor);
    if (!target) fail('NOT_FOUND', { entity: 'user', id });
    if (target.role === 'admin') {
      const admins = await lockAdmins(tx);
      if (admins.length <= 1) {
        fail('LAST_ADMIN_DELETION');
      }
    }
    const deleted = await deleteUserRow(tx, id);
    if (!deleted) fail('NOT_FOUND', { entity: 'user', id });
    await writeLog(tx, {
      userId: isSelf ? null : actor.id,
      username: actor.username,
      action: actions.userDeleted(id, target.username),
    });
    return deleted;
  });
}
