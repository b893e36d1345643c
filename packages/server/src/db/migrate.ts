import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { migrationsDir } from '../paths.ts';
import { type DbHandle, type Executor, queryRows } from './client.ts';
import { finishTakeover, type TakeoverReport, takeOverLegacyTables } from './takeover/takeover.ts';

const LOCK_KEY = 7_215_001; // any constant: serialises migrations of concurrently starting servers

export type MigrationReport = {
  /** tags of the migrations applied now (0000_init included when a takeover stood in for it) */
  applied: string[];
  /** set when the legacy backend's tables were found and taken over */
  takeover: TakeoverReport | null;
};

type Migration = ReturnType<typeof readMigrationFiles>[number] & { tag: string };

/**
 * Applies the committed drizzle migrations, idempotently, in ONE transaction: drizzle's own rule
 * (apply every migration newer than the last recorded one, record each in drizzle.__drizzle_migrations)
 * with one addition: when nothing is recorded yet and the legacy backend's tables are there, they are
 * taken over in place of 0000_init (which would fail on them with 42P07), and the takeover's last step
 * runs after the other migrations. Any failure rolls all of it back. On PostgreSQL an advisory lock on
 * a dedicated connection keeps two servers starting together from racing.
 */
export async function migrateDatabase(
  handle: DbHandle,
  options: { url: string; folder?: string },
): Promise<MigrationReport> {
  const migrations = readMigrations(options.folder ?? migrationsDir());
  if (handle.driver === 'pglite') {
    // PGlite is one connection: the handle's own client is used.
    return handle.db.transaction((tx) => applyMigrations(tx, migrations));
  }
  const client = postgres(options.url, { max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    await client`select pg_advisory_lock(${LOCK_KEY})`;
    try {
      return await drizzlePostgres({ client }).transaction((tx) => applyMigrations(tx, migrations));
    } finally {
      await client`select pg_advisory_unlock(${LOCK_KEY})`.catch(() => {});
    }
  } finally {
    await client.end({ timeout: 5 });
  }
}

function readMigrations(migrationsFolder: string): Migration[] {
  const files = readMigrationFiles({ migrationsFolder });
  // readMigrationFiles returns the journal's entries in order, without their tags (kept for reports)
  const { entries } = JSON.parse(readFileSync(`${migrationsFolder}/meta/_journal.json`, 'utf8')) as {
    entries: { tag: string }[];
  };
  return files.map((m, i) => ({ ...m, tag: entries[i]?.tag ?? String(m.folderMillis) }));
}

/** drizzle's PgDialect.migrate, in the caller's transaction, with the takeover in place of 0000_init. */
async function applyMigrations(tx: Executor, migrations: Migration[]): Promise<MigrationReport> {
  await tx.execute(sql`CREATE SCHEMA IF NOT EXISTS "drizzle"`);
  await tx.execute(sql`CREATE TABLE IF NOT EXISTS "drizzle"."__drizzle_migrations" (
    id SERIAL PRIMARY KEY,
    hash text NOT NULL,
    created_at bigint
  )`);
  const [last] = await queryRows<{ created_at: string | number | null }>(
    tx,
    sql`select id, hash, created_at from "drizzle"."__drizzle_migrations" order by created_at desc limit 1`,
  );
  let pending = migrations.filter((m) => !last || Number(last.created_at) < m.folderMillis);
  const applied: string[] = [];
  let takeover: TakeoverReport | null = null;
  const [init] = migrations;
  if (!last && init) {
    takeover = await takeOverLegacyTables(tx, { statements: init.sql });
    if (takeover) {
      await record(tx, init);
      applied.push(init.tag);
      pending = pending.slice(1);
    }
  }
  for (const migration of pending) {
    for (const statement of migration.sql) await tx.execute(sql.raw(statement));
    await record(tx, migration);
    applied.push(migration.tag);
  }
  if (takeover) await finishTakeover(tx, takeover);
  return { applied, takeover };
}

async function record(tx: Executor, migration: Migration) {
  await tx.execute(
    sql`insert into "drizzle"."__drizzle_migrations" ("hash", "created_at") values (${migration.hash}, ${migration.folderMillis})`,
  );
}
