import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../db/client.ts';
import type { Services } from '../services.ts';

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

/** Whether any admin exists (the token is offered only while none does). */
export async function adminExists(db: Executor): Promise<boolean> {
  return (await queryRows(db, sql`select 1 from users where role = 'admin' limit 1`)).length > 0;
}
