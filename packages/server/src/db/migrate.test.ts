import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb, testEngine } from '../test/db.ts';
import { queryRows } from './client.ts';
import { migrateDatabase } from './migrate.ts';

describe(`migrations (${testEngine})`, () => {
  let testDb: TestDb | undefined;
  afterAll(() => testDb?.close());

  it('apply on an empty database and again without changes', async () => {
    testDb = await createTestDb({ fresh: true, migrate: false });
    const url = testDb.url ?? 'memory://';
    await migrateDatabase(testDb.handle, { url });
    const tablesAfterFirst = await tableNames(testDb);
    await migrateDatabase(testDb.handle, { url });
    expect(await tableNames(testDb)).toEqual(tablesAfterFirst);
    expect(tablesAfterFirst).toEqual(expect.arrayContaining(['users', 'logs', 'predict', 'sessions']));
    const rows = await queryRows<{ n: number }>(
      testDb.db,
      sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
    );
    expect(rows[0]?.n).toBeGreaterThan(0);
  });
});

async function tableNames(testDb: TestDb): Promise<string[]> {
  const rows = await queryRows<{ tablename: string }>(
    testDb.db,
    sql`select tablename from pg_tables where schemaname = 'public' order by tablename`,
  );
  return rows.map((r) => r.tablename);
}
