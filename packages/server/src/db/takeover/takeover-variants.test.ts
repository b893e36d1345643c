import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { dataSnapshot, schemaSnapshot } from '../../test/catalog-snapshot.ts';
import { createTestDb, testEngine } from '../../test/db.ts';
import {
  buildLegacyDatabase,
  type LegacyVariant,
  legacyLogs,
  legacyPredicts,
  legacyUsers,
} from '../../test/legacy-db.ts';
import { queryRows } from '../client.ts';
import { migrateDatabase } from '../migrate.ts';
import { LegacyTakeoverError } from './takeover-error.ts';

const ETHCAST_TABLES = ['users', 'logs', 'predict', 'sessions', 'login_failures', 'login_lockouts', 'prices'];

const variants: LegacyVariant[] = [
  { id: 'serial', text: 'varchar', foreignKeys: true, extraColumns: false },
  { id: 'int identity always', text: 'text', foreignKeys: true, extraColumns: true },
  { id: 'bigserial', text: 'varchar', foreignKeys: false, extraColumns: true },
];

describe(`legacy takeover of other column types (${testEngine})`, () => {
  // The plain variant (bigint identity, text, no foreign keys) is takeover.test.ts's.
  it.each(variants)(
    '$id ids, $text columns, foreign keys $foreignKeys, extra columns $extraColumns',
    async (variant) => {
      const legacy = await createTestDb({ fresh: true, migrate: false });
      const fresh = await createTestDb({ fresh: true, migrate: false });
      try {
        await buildLegacyDatabase(legacy.db, variant);
        const report = await migrateDatabase(legacy.handle, { url: legacy.url ?? 'memory://' });
        await migrateDatabase(fresh.handle, { url: fresh.url ?? 'memory://' });
        const logCount = legacyLogs.filter((l) => !(variant.foreignKeys && l.userId === 77)).length;
        expect(report.takeover).toMatchObject({ users: 3, logs: logCount, predict: 3 });
        expect(report.takeover?.keptColumns).toEqual(
          variant.extraColumns
            ? ['users.email', 'logs.ip_address', 'predict.created_at', 'predict.tags']
            : [],
        );

        // Ethcast's tables are exactly a fresh database's, extra columns aside
        const extra = new Set(report.takeover?.keptColumns);
        const legacySchema = await schemaSnapshot(legacy.db, ETHCAST_TABLES);
        const columns = (legacySchema.columns as { table: string; column: string }[]).filter(
          (c) => !extra.has(`${c.table}.${c.column}`),
        );
        expect({ ...legacySchema, columns }).toEqual(await schemaSnapshot(fresh.db, ETHCAST_TABLES));

        // rows and their ids, and the extra columns' values, untouched
        const userRows = await queryRows<Record<string, unknown>>(
          legacy.db,
          sql`select id::text as id, username, password, role from users order by users.id`,
        );
        expect(userRows).toEqual(
          legacyUsers.map((u) => ({
            id: String(u.id),
            username: u.username,
            password: u.hash,
            role: 'user',
          })),
        );
        if (variant.extraColumns) {
          const extras = await queryRows<{ email: string; created: string }>(
            legacy.db,
            sql`select email, to_char(created_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI') as created from users order by users.id`,
          );
          expect(extras).toEqual(
            legacyUsers.map((u) => ({
              email: `${u.username}@example.com`,
              created: `2023-01-0${u.id} 10:00`,
            })),
          );
          // Ethcast never writes ip_address or tags: its inserts still work
          await legacy.db.execute(sql`insert into logs (action) values ('after the takeover')`);
        }
        const predictIds = await queryRows<{ id: string; days: number }>(
          legacy.db,
          sql`select id::text as id, days from predict order by predict.id`,
        );
        expect(predictIds).toEqual(legacyPredicts.map((p) => ({ id: String(p.id), days: p.points.length })));
        // new rows continue after the largest id
        const [user] = await queryRows<{ id: string }>(
          legacy.db,
          sql`insert into users (username, password) values ('newcomer', 'x') returning id::text as id`,
        );
        expect(user?.id).toBe('6');
      } finally {
        await legacy.close();
        await fresh.close();
      }
      // two fresh PGlite engines start per case (several seconds each on a busy machine)
    },
    120_000,
  );

  it('refuses a table that is not the legacy one, changing nothing', async () => {
    const db = await createTestDb({ fresh: true, migrate: false });
    try {
      await db.db.execute(sql`create table users (id serial primary key, name text, password text)`);
      const before = await dataSnapshot(db.db);
      const error = await migrateDatabase(db.handle, { url: db.url ?? 'memory://' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LegacyTakeoverError);
      expect((error as Error).message).toBe(
        "legacy takeover stopped, nothing was changed: table users has no column username: it is not the legacy backend's users",
      );
      expect(await dataSnapshot(db.db)).toEqual(before);
    } finally {
      await db.close();
    }
  });
});
