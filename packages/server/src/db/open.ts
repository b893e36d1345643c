import { sql } from 'drizzle-orm';
import type { ServerConfig } from '../env.ts';
import { embeddedDataDir } from '../paths.ts';
import { createDb, type DbHandle } from './client.ts';
import { type MigrationReport, migrateDatabase } from './migrate.ts';

/** The database URL a config points at: DATABASE_URL, or the embedded PGlite under `.data/`. */
export const databaseUrlOf = (config: Pick<ServerConfig, 'databaseUrl'>) =>
  config.databaseUrl ?? embeddedDataDir();

/** Opens the configured database and brings its schema up to date. */
export async function openDatabase(
  config: Pick<ServerConfig, 'databaseUrl' | 'databasePrepare'>,
  options: { onMigrated?: (report: MigrationReport) => void } = {},
): Promise<DbHandle> {
  const url = databaseUrlOf(config);
  const handle = await createDb({ url, prepare: config.databasePrepare });
  try {
    await handle.db.execute(sql`select 1`); // fails fast with the driver's error code
    const report = await migrateDatabase(handle, { url });
    options.onMigrated?.(report);
  } catch (error) {
    await handle.close().catch(() => {});
    throw error;
  }
  return handle;
}
