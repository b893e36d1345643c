import type { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { migrationsDir } from '../paths.ts';
import type { DbHandle } from './client.ts';

const LOCK_KEY = 7_215_001; // any constant: serialises migrations of concurrently starting servers

/**
 * Applies the committed drizzle migrations. Idempotent. On PostgreSQL it takes an advisory lock on a
 * dedicated connection so that two servers starting together do not race.
 */
export async function migrateDatabase(
  handle: DbHandle,
  options: { url: string; folder?: string },
): Promise<void> {
  const migrationsFolder = options.folder ?? migrationsDir();
  if (handle.driver === 'pglite') {
    // PGlite is one connection: the handle's own client is used.
    await migratePglite(handle.db as unknown as ReturnType<typeof drizzlePglite>, { migrationsFolder });
    return;
  }
  const client = postgres(options.url, { max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    await client`select pg_advisory_lock(${LOCK_KEY})`;
    await migratePostgres(drizzlePostgres({ client }), { migrationsFolder });
    await client`select pg_advisory_unlock(${LOCK_KEY})`;
  } finally {
    await client.end({ timeout: 5 });
  }
}
