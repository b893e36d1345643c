import { createHash, timingSafeEqual } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { adminExists, readAdminToken, removeAdminToken } from '../auth/admin-token.ts';
import { hashPassword, verifyPassword } from '../auth/password.ts';
import type { PasswordWork } from '../auth/password-work.ts';
import type { Database } from '../db/client.ts';
import { clientKey, reserveRegistration } from '../db/queries/login-attempts.ts';
import { revokeOtherSessions } from '../db/queries/sessions.ts';
import {
  deleteUserRow,
  getPasswordHash,
  getUserById,
  getUserByUsername,
  insertUser,
  listUsers,
  lockAdmins,
  type PublicUser,
  updateUserRow,
} from '../db/queries/users.ts';
import type { Role } from '../db/schema.ts';
import { actions } from '../domain/actions.ts';
import { fail, found, isDomainError } from '../domain/errors.ts';
import { pgErrorCode } from '../errors.ts';
import type { Services } from '../services.ts';
import { actorOf, audit } from './audit.ts';
import { clientIpOf, secondsUntil } from './login.ts';
import { requireAdmin, requireUser, type Viewer } from './viewer.ts';

const UNIQUE_VIOLATION = '23505';

function conflictIfTaken(error: unknown): never {
  if (pgErrorCode(error) === UNIQUE_VIOLATION) {
    fail('USERNAME_TAKEN', {}, { cause: error });
  }
  throw error;
}

/** `PasswordWork` runs the hash in the server's bounded bcrypt queue; a plain cost hashes directly (tests). */
export type Hasher = PasswordWork | number;

const hashWith = (hasher: Hasher, password: string) =>
  typeof hasher === 'number' ? hashPassword(password, hasher) : hasher.hash(password);

const verifyWith = (hasher: Hasher, password: string, passwordHash: string) =>
  typeof hasher === 'number' ? verifyPassword(password, passwordHash) : hasher.verify(password, passwordHash);

type Credentials = { username: string; password: string };

/** Stores an account and its audit-log row (naming the new account) in one transaction. */
export async function insertAccount(
  db: Database,
  input: Credentials & { role: Role; action: string },
  hasher: Hasher,
): Promise<PublicUser> {
  const passwordHash = await hashWith(hasher, input.password);
  try {
    return await db.transaction(async (tx) => {
      const user = await insertUser(tx, { username: input.username, passwordHash, role: input.role });
      await audit(tx, { userId: user.id, username: user.username }, input.action);
      return user;
    });
  } catch (error) {
    conflictIfTaken(error);
  }
}

/** Anyone registers, within their client's limit (registrationPolicy; RATE_LIMITED beyond it). */
export async function register(services: Services, viewer: Viewer, input: Credentials): Promise<PublicUser> {
  const now = new Date();
  const client = clientKey(clientIpOf(viewer));
  const until = await services.db.transaction((tx) => reserveRegistration(tx, { client, now }));
  if (until) fail('RATE_LIMITED', { retryAfterSeconds: secondsUntil(until, now) });
  return insertAccount(services.db, { ...input, role: 'user', action: actions.register }, services.passwords);
}

/** An admin (or the CLI on the database) creates another admin. */
export async function createAdmin(
  services: Services,
  viewer: Viewer,
  input: Credentials,
): Promise<PublicUser> {
  requireAdmin(viewer);
  return insertAccount(
    services.db,
    { ...input, role: 'admin', action: actions.adminCreated },
    services.passwords,
  );
}

/** The first start on the embedded development database creates an admin with a random password. */
export async function createDemoAdmin(
  services: Services,
  viewer: Viewer,
  input: Credentials,
): Promise<PublicUser> {
  if (viewer.kind !== 'system') fail('ADMIN_ONLY');
  return insertAccount(
    services.db,
    { ...input, role: 'admin', action: actions.demoAdminCreated },
    services.config.bcryptCost,
  );
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * The first admin of a fresh install, proven by the one-time token the server wrote to a file only its
 * OS user can read (auth/admin-token.ts). Refused once any admin exists.
 */
export async function bootstrapFirstAdmin(
  services: Services,
  _viewer: Viewer,
  input: Credentials & { token: string },
): Promise<PublicUser> {
  const file = services.config.adminTokenFile;
  const expected = readAdminToken(file);
  if (!expected || !timingSafeEqual(digest(expected), digest(input.token))) fail('ADMIN_TOKEN_INVALID');
  const passwordHash = await services.passwords.hash(input.password);
  try {
    const user = await services.db.transaction(async (tx) => {
      // Two concurrent bootstraps: the second waits here, then sees the first one's admin.
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext('ethcast:first-admin'))`);
      if (await adminExists(tx)) fail('ADMIN_EXISTS');
      const created = await insertUser(tx, { username: input.username, passwordHash, role: 'admin' });
      await audit(tx, { userId: created.id, username: created.username }, actions.adminCreated);
      return created;
    });
    removeAdminToken(file);
    return user;
  } catch (error) {
    if (isDomainError(error)) throw error;
    conflictIfTaken(error);
  }
}

/**
 * Makes an existing user an admin (the first admin among users taken over from the legacy backend, who
 * all arrive as `user`): the CLI on the database, which needs no admin yet, or an admin.
 */
export async function grantAdmin(
  services: Pick<Services, 'db'>,
  viewer: Viewer,
  input: { username: string },
): Promise<PublicUser & { changed: boolean }> {
  requireAdmin(viewer);
  return services.db.transaction(async (tx) => {
    const user = await getUserByUsername(tx, input.username, null);
    if (!user) return fail('NOT_FOUND', { entity: 'user', id: input.username });
    if (user.role === 'admin') return { ...user, changed: false };
    const updated = await updateUserRow(tx, user.id, { role: 'admin' });
    if (!updated) return fail('NOT_FOUND', { entity: 'user', id: input.username });
    await audit(tx, { userId: user.id, username: user.username }, actions.adminGranted);
    return { ...updated, changed: true };
  });
}

/** The signed-in user's own account. */
export async function getMe(services: Services, viewer: Viewer): Promise<PublicUser> {
  const me = requireUser(viewer);
  const user = await getUserById(services.db, me.id, me);
  if (!user) fail('UNAUTHENTICATED');
  return user;
}

/** Admins: every account, optionally searched by name. */
export async function listAccounts(
  services: Services,
  viewer: Viewer,
  input: Parameters<typeof listUsers>[1],
): ReturnType<typeof listUsers> {
  requireAdmin(viewer);
  return listUsers(services.db, input);
}

/** An account by id: one's own; admins anyone's. Another user's is not found, like a missing id. */
export async function getAccount(
  services: Services,
  viewer: Viewer,
  input: { id: number },
): Promise<PublicUser> {
  return found(await getUserById(services.db, input.id, requireUser(viewer)), 'user', input.id);
}

/** An account by username, scoped as getAccount. */
export async function getAccountByUsername(
  services: Services,
  viewer: Viewer,
  input: { username: string },
): Promise<PublicUser> {
  return found(
    await getUserByUsername(services.db, input.username, requireUser(viewer)),
    'user',
    input.username,
  );
}

export type UpdateUserInput = {
  id: number;
  username?: string | undefined;
  password?: string | undefined;
  currentPassword?: string | undefined;
  role?: Role | undefined;
};

/**
 * Self may change own username and password (the latter needs the current password and revokes the
 * other sessions); only admins change roles or others' accounts; the last admin stays an admin.
 */
export async function updateAccount(
  services: Services,
  viewer: Viewer,
  input: UpdateUserInput,
): Promise<PublicUser> {
  const actor = requireUser(viewer);
  const sessionId = viewer.kind === 'user' ? viewer.session.id : null;
  const { db, passwords } = services;
  const isSelf = actor.id === input.id;
  if (input.username === undefined && input.password === undefined && input.role === undefined) {
    fail('NOTHING_TO_CHANGE');
  }
  // Read under the owner-or-admin scope: another user's account is not found, like a missing id.
  if (!(await getUserById(db, input.id, actor))) fail('NOT_FOUND', { entity: 'user', id: input.id });
  if (input.role !== undefined && actor.role !== 'admin') fail('ROLE_CHANGE_ADMIN_ONLY');
  if (input.password !== undefined && isSelf) {
    if (!input.currentPassword) fail('CURRENT_PASSWORD_REQUIRED');
    const current = await getPasswordHash(db, input.id);
    if (!current || !(await verifyWith(passwords, input.currentPassword, current))) {
      fail('CURRENT_PASSWORD_WRONG');
    }
  }
  const passwordHash = input.password !== undefined ? await hashWith(passwords, input.password) : undefined;
  try {
    const updated = await db.transaction(async (tx) => {
      const target = found(await getUserById(tx, input.id, actor), 'user', input.id);
      if (input.role === 'user' && target.role === 'admin') {
        const admins = await lockAdmins(tx);
        if (admins.length <= 1) fail('LAST_ADMIN_DEMOTION');
      }
      const row = found(
        await updateUserRow(tx, input.id, {
          ...(input.username !== undefined ? { username: input.username } : {}),
          ...(passwordHash !== undefined ? { passwordHash } : {}),
          ...(input.role !== undefined ? { role: input.role } : {}),
        }),
        'user',
        input.id,
      );
      if (passwordHash !== undefined) await revokeOtherSessions(tx, input.id, isSelf ? sessionId : null);
      const fields = [
        input.username !== undefined ? 'username' : null,
        passwordHash !== undefined ? 'password' : null,
        input.role !== undefined ? `role=${input.role}` : null,
      ].filter((f): f is string => f !== null);
      await audit(tx, actorOf(viewer), actions.userUpdated(input.id, fields));
      return row;
    });
    // name, role or password changed: cached sessions of this user must be looked up again
    services.sessions.forgetUser(input.id);
    return updated;
  } catch (error) {
    conflictIfTaken(error);
  }
}

/** Deletes a user with their sessions and predictions; their log rows stay with user_id NULL. */
export async function deleteAccount(
  services: Services,
  viewer: Viewer,
  input: { id: number },
): Promise<PublicUser> {
  const actor = requireUser(viewer);
  const { id } = input;
  const isSelf = actor.id === id;
  const deleted = await services.db.transaction(async (tx) => {
    // Read under the owner-or-admin scope: another user's account is not found, like a missing id.
    const target = found(await getUserById(tx, id, actor), 'user', id);
    if (target.role === 'admin') {
      const admins = await lockAdmins(tx);
      if (admins.length <= 1) fail('LAST_ADMIN_DELETION');
    }
    const row = found(await deleteUserRow(tx, id), 'user', id);
    await audit(
      tx,
      { userId: isSelf ? null : actor.id, username: actor.username },
      actions.userDeleted(id, target.username),
    );
    return row;
  });
  services.sessions.forgetUser(id);
  return deleted;
}
