import { readMigrationFiles } from 'drizzle-orm/migrator';
import { pgErrorCode } from '../errors.ts';
import type { DbHandle } from './client.ts';

/** A migration as drizzle records it: the journal's `when` and the SHA-256 of its SQL file. */
export type MigrationStamp = { createdAt: number; hash: string };

/** The migrations this build ships (drizzle/meta/_journal.json and its SQL files), in order. */
export function expectedMigrations(migrationsFolder: string): MigrationStamp[] {
  return readMigrationFiles({ migrationsFolder }).map((m) => ({ createdAt: m.folderMillis, hash: m.hash }));
}

/**
 * `current`: the database has exactly this build's migrations; `pending`: some are not applied yet (an
 * empty or older database); `ahead`: it has more (a newer build migrated it); `diverged`: the same count
 * or prefix differs (another branch's migrations, or an edited file).
 */
export type MigrationState = 'current' | 'pending' | 'ahead' | 'diverged';

export function compareMigrations(applied: MigrationStamp[], expected: MigrationStamp[]): MigrationState {
  const same = (a: MigrationStamp | undefined, b: MigrationStamp | undefined) =>
    !!a && !!b && a.createdAt === b.createdAt && a.hash === b.hash;
  const common = Math.min(applied.length, expected.length);
  for (let i = 0; i < common; i++) if (!same(applied[i], expected[i])) return 'diverged';
  if (applied.length < expected.length) return 'pending';
  if (applied.length > expected.length) return 'ahead';
  return 'current';
}

const UNDEFINED_TABLE = '42P01';
const INVALID_SCHEMA_NAME = '3F000';

/** What drizzle's migrator recorded; none when the database was never migrated. */
async function appliedMigrations(handle: DbHandle): Promise<MigrationStamp[]> {
  try {
    const rows = await handle.probe<{ hash: string; created_at: string | number }>(
      'select hash, created_at from drizzle.__drizzle_migrations order by created_at, id',
    );
    return rows.map((r) => ({ createdAt: Number(r.created_at), hash: r.hash }));
  } catch (error) {
    const code = pgErrorCode(error);
    if (code === UNDEFINED_TABLE || code === INVALID_SCHEMA_NAME) return [];
    throw error;
  }
}

export type Readiness =
  | { ready: true; database: 'up'; migrations: 'current' }
  | { ready: false; database: 'down'; migrations: 'unknown' }
  | { ready: false; database: 'up'; migrations: Exclude<MigrationState, 'current'> };

/** Ready only when the database answers and holds exactly the migrations this build expects. */
export async function checkReadiness(handle: DbHandle, expected: MigrationStamp[]): Promise<Readiness> {
  let applied: MigrationStamp[];
  try {
    applied = await appliedMigrations(handle);
  } catch {
    return { ready: false, database: 'down', migrations: 'unknown' };
  }
  const migrations = compareMigrations(applied, expected);
  return migrations === 'current'
    ? { ready: true, database: 'up', migrations }
    : { ready: false, database: 'up', migrations };
}
