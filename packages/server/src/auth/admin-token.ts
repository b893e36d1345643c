import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { sql } from 'drizzle-orm';
import { type Database, queryRows } from '../db/client.ts';
import { writeLog } from '../db/queries/logs.ts';
import { insertUser, type PublicUser } from '../db/queries/users.ts';
import { actions } from '../domain/actions.ts';
import { fail, isDomainError } from '../domain/errors.ts';
import type { Services } from '../services.ts';
import { conflictIfTaken } from './accounts.ts';

/**
 * Creating the first admin through a running server. With no admin in the database, the server writes
 * a random 256-bit token to `config.adminTokenFile` (default `.data/admin-token`), readable only by
 * the server's OS user (mode 0600 in a 0700 folder). `users.bootstrapAdmin` accepts that token once:
 * whoever can read the file already controls the server's files, and nobody else can guess it, so the
 * procedure cannot be abused from the network. The file is removed when the first admin exists.
 */

/** Writes a fresh token when there is no admin yet (returns the file), else removes any old token. */
export async function prepareAdminToken(services: Services): Promise<string | null> {
  const file = services.config.adminTokenFile;
  if (await adminExists(services.db)) {
    removeAdminToken(file);
    return null;
  }
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const draft = `${file}.${process.pid}.tmp`;
  writeFileSync(draft, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600 });
  renameSync(draft, file);
  return file;
}

/**
 * The token in `file`, or null when it is absent or readable by others than its owner (a token that
 * leaked by its mode is not trusted).
 */
export function readAdminToken(file: string): string | null {
  try {
    if ((statSync(file).mode & 0o077) !== 0) return null;
    return readFileSync(file, 'utf8').trim() || null;
  } catch {
    return null;
  }
}

export function removeAdminToken(file: string) {
  try {
    unlinkSync(file);
  } catch {}
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/** Creates the first admin if `token` matches the server's token file and no admin exists. */
export async function bootstrapAdmin(
  services: Services,
  input: { username: string; password: string; token: string },
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
      await writeLog(tx, { userId: created.id, username: created.username, action: actions.adminCreated });
      return created;
    });
    removeAdminToken(file);
    return user;
  } catch (error) {
    if (isDomainError(error)) throw error;
    conflictIfTaken(error);
  }
}

async function adminExists(db: Database): Promise<boolean> {
  return (await queryRows(db, sql`select 1 from users where role = 'admin' limit 1`)).length > 0;
}
