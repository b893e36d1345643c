import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { migrationsDir } from '../paths.ts';
import { createTestDb, type TestDb, testEngine } from '../test/db.ts';
import { createDb, type Executor, queryRows } from './client.ts';
import { migrateDatabase } from './migrate.ts';
import { users } from './schema.ts';

const rlsMigrations = ['0006_supabase_row_level_security.sql', '0010_forecast_quotas_rls.sql'].map((file) =>
  readFileSync(join(migrationsDir(), file), 'utf8'),
);
/** the statement of 0008 that does the same for price_symbols (its last) */
const priceSymbolsRls =
  readFileSync(join(migrationsDir(), '0008_price_symbols_triggers.sql'), 'utf8')
    .split('--> statement-breakpoint')
    .at(-1) ?? '';

/** Every table in `public`, with whether row-level security is on and how many policies it has. */
async function rowSecurity(db: Executor) {
  return queryRows<{ table: string; rls: boolean; policies: number }>(
    db,
    sql`select c.relname as "table", c.relrowsecurity as "rls",
          (select count(*)::int from pg_policy p where p.polrelid = c.oid) as "policies"
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind = 'r' order by 1`,
  );
}

describe(`Supabase row-level security (${testEngine})`, () => {
  let testDb: TestDb | undefined;
  afterAll(() => testDb?.close());

  it('is a no-op without Supabase’s anon and authenticated roles', async () => {
    testDb = await createTestDb();
    const tables = await rowSecurity(testDb.db);
    expect(tables.map((t) => t.table)).toEqual(
      expect.arrayContaining(['users', 'logs', 'predict', 'prices']),
    );
    expect(tables.every((t) => !t.rls)).toBe(true);
  });

  it('on a Supabase-like database: every table RLS-enabled, no policy, anon reads nothing', async () => {
    // PGlite is a whole cluster of its own, so these roles exist nowhere else
    const handle = await createDb({ url: 'memory://' });
    try {
      await handle.db.execute(sql`create role anon`);
      await handle.db.execute(sql`create role authenticated`);
      await migrateDatabase(handle, { url: 'memory://' });
      const tables = await rowSecurity(handle.db);
      expect(tables).toHaveLength(13);
      expect(tables.filter((t) => !t.rls || t.policies > 0)).toEqual([]);
      await handle.db.insert(users).values({ username: 'owner_row', password: 'x' });
      // Supabase grants the Data API roles every table by default; RLS is what stops them
      await handle.db.execute(sql`grant select on all tables in schema public to anon`);
      await handle.db.execute(sql`set role anon`);
      const seen = await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as "n" from users`);
      await handle.db.execute(sql`reset role`);
      expect(seen[0]?.n).toBe(0);
      const owner = await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as "n" from users`);
      expect(owner[0]?.n).toBe(1);
    } finally {
      await handle.close();
    }
  });

  it.skipIf(testEngine !== 'postgres')(
    'the migration enables it on PostgreSQL 15 too (roles made in a transaction that is rolled back)',
    async () => {
      const url = testDb?.url;
      if (!url) throw new Error('PostgreSQL test database missing');
      const client = postgres(url, { max: 1, onnotice: () => {} });
      try {
        await client
          .begin(async (tx) => {
            // CREATE ROLE is transactional: no other session ever sees these roles
            await tx`create role anon`;
            await tx`create role authenticated`;
            for (const migration of rlsMigrations) await tx.unsafe(migration);
            await tx.unsafe(priceSymbolsRls);
            const rows = await tx<{ relname: string; relrowsecurity: boolean }[]>`
            select c.relname, c.relrowsecurity from pg_class c join pg_namespace n on n.oid = c.relnamespace
            where n.nspname = 'public' and c.relkind = 'r'`;
            expect(rows.length).toBe(13);
            expect(rows.every((r) => r.relrowsecurity)).toBe(true);
            throw new Error('rollback');
          })
          .catch((error: Error) => {
            if (error.message !== 'rollback') throw error;
          });
        const roles = await client`select rolname from pg_roles where rolname in ('anon', 'authenticated')`;
        expect(roles).toHaveLength(0);
      } finally {
        await client.end();
      }
    },
  );
});
