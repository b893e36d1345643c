import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { createDb, type Database, type DbHandle, queryRows } from '../db/client.ts';
import { migrateDatabase } from '../db/migrate.ts';
import { loadTestEnv } from './test-env.ts';

export type TestDb = {
  handle: DbHandle;
  db: Database;
  /** the URL a second server process can use to reach the same database (PostgreSQL only) */
  url: string | null;
  engine: 'postgres' | 'pglite';
  /** empties every table (identities restart) */
  reset(): Promise<void>;
  close(): Promise<void>;
};

const { testDatabaseUrl } = loadTestEnv();
export const testEngine: 'postgres' | 'pglite' = testDatabaseUrl ? 'postgres' : 'pglite';

// PGlite takes ~4 s and ~800 MB to start: one migrated instance per worker, emptied for each caller.
let sharedPglite: Promise<DbHandle> | undefined;

/**
 * A migrated database of its own for a test file: a new PostgreSQL database when TEST_DATABASE_URL is
 * set (dropped on close), else the worker's PGlite with every table emptied. `fresh: true` gives a
 * brand-new, unmigrated engine (for migration tests).
 */
export async function createTestDb(options: { fresh?: boolean; migrate?: boolean } = {}): Promise<TestDb> {
  const migrate = options.migrate ?? true;
  if (testDatabaseUrl) return createPostgresTestDb(testDatabaseUrl, migrate);
  if (options.fresh) {
    const handle = await createPglite(migrate);
    return pgliteTestDb(handle, () => handle.close());
  }
  sharedPglite ??= createPglite(true);
  const handle = await sharedPglite;
  await truncateAll(handle.db);
  return pgliteTestDb(handle, async () => {});
}

async function createPglite(migrate: boolean): Promise<DbHandle> {
  const handle = await createDb({ url: 'memory://' });
  if (migrate) await migrateDatabase(handle, { url: 'memory://' });
  return handle;
}

function pgliteTestDb(handle: DbHandle, close: () => Promise<void>): TestDb {
  return { handle, db: handle.db, url: null, engine: 'pglite', reset: () => truncateAll(handle.db), close };
}

async function createPostgresTestDb(baseUrl: string, migrate: boolean): Promise<TestDb> {
  const name = `ethcast_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  const handle = await createDb({ url: url.toString(), max: 20 });
  if (migrate) await migrateDatabase(handle, { url: url.toString() });
  return {
    handle,
    db: handle.db,
    url: url.toString(),
    engine: 'postgres',
    reset: () => truncateAll(handle.db),
    async close() {
      await handle.close();
      const dropper = postgres(baseUrl, { max: 1, onnotice: () => {} });
      await dropper.unsafe(`drop database if exists "${name}" with (force)`);
      await dropper.end();
    },
  };
}

async function truncateAll(db: Database) {
  const tables = await queryRows<{ tablename: string }>(
    db,
    sql`select tablename from pg_tables where schemaname = 'public'`,
  );
  if (tables.length === 0) return;
  const list = tables.map((t) => `"public"."${t.tablename}"`).join(', ');
  await db.execute(sql.raw(`truncate table ${list} restart identity cascade`));
}
