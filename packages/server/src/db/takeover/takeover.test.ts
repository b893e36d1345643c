import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContextInner } from '../../context.ts';
import { createCaller } from '../../router.ts';
import { anonymousCaller, testServices } from '../../test/actors.ts';
import { dataSnapshot, schemaSnapshot } from '../../test/catalog-snapshot.ts';
import { createTestDb, type TestDb, testEngine } from '../../test/db.ts';
import { buildLegacyDatabase, legacyLogs, legacyPredicts, legacyUsers } from '../../test/legacy-db.ts';
import { queryRows } from '../client.ts';
import { type MigrationReport, migrateDatabase } from '../migrate.ts';
import { upsertPrices } from '../queries/price-upsert.ts';
import { findSessionByToken } from '../queries/sessions.ts';
import { LegacyTakeoverError } from './takeover-error.ts';

describe(`legacy takeover (${testEngine})`, () => {
  let legacy: TestDb;
  let fresh: TestDb;
  let report: MigrationReport;
  const migrate = (db: TestDb) => migrateDatabase(db.handle, { url: db.url ?? 'memory://' });

  beforeAll(async () => {
    legacy = await createTestDb({ fresh: true, migrate: false });
    await buildLegacyDatabase(legacy.db);
  });
  afterAll(async () => {
    await legacy?.close();
    await fresh?.close();
  });

  it('a row that cannot be converted stops it, naming table, id and value, and changes nothing', async () => {
    await legacy.db.execute(
      sql`insert into logs (id, date, username_log, action, user_id) values (8, '31/02/2024_10h00', 'joao', 'Login bem-sucedido', 1)`,
    );
    const schemaBefore = await schemaSnapshot(legacy.db);
    const dataBefore = await dataSnapshot(legacy.db);
    const error = await migrate(legacy).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LegacyTakeoverError);
    expect((error as Error).message).toBe(
      'legacy takeover stopped, nothing was changed: logs id 8: date "31/02/2024_10h00" is not a calendar day. Fix it in the legacy database and run the migrations again.',
    );
    expect(await schemaSnapshot(legacy.db)).toEqual(schemaBefore);
    expect(await dataSnapshot(legacy.db)).toEqual(dataBefore);
    const drizzleSchema = await queryRows(
      legacy.db,
      sql`select 1 from pg_namespace where nspname = 'drizzle'`,
    );
    expect(drizzleSchema).toHaveLength(0);
  });

  it('names every bad value, a password never shown', async () => {
    await legacy.db.execute(sql`update users set password = 'plain-text-secret' where id = 2`);
    await legacy.db.execute(
      sql`insert into predict (id, username_predict, date, user_id, forecast, forecast_result, model)
          values (9, 'joao', '02/12/2024_10h00', 1, true, '[{"date": "2024-12-03", "predicted_value": "3600"}]', 'lstm')`,
    );
    const error = (await migrate(legacy).catch((e: unknown) => e)) as LegacyTakeoverError;
    expect(error).toBeInstanceOf(LegacyTakeoverError);
    expect(error.problems.map((p) => `${p.table} ${p.id} ${p.column}: ${p.shown} ${p.problem}`)).toEqual([
      'users 2 password: (value withheld) is not a bcrypt hash',
      'logs 8 date: "31/02/2024_10h00" is not a calendar day',
      'predict 9 forecast_result: "[{\\"date\\": \\"2024-12-03\\", \\"predicted_value\\": \\"3600\\"}]" point 1 has no numeric "predicted_value"',
    ]);
    expect(error.message).not.toContain('plain-text-secret');
    expect(error.message).toContain('(2 more: logs id 8 date, predict id 9 forecast_result)');
    // put the fixture back as it was
    const joaoHash = legacyUsers.find((u) => u.id === 2)?.hash ?? '';
    await legacy.db.execute(sql`update users set password = ${joaoHash} where id = 2`);
    await legacy.db.execute(sql`delete from predict where id = 9`);
  });

  it('once the row is fixed, converts every table in one go and records it', async () => {
    await legacy.db.execute(sql`delete from logs where id = 8`);
    report = await migrate(legacy);
    expect(report.applied[0]).toBe('0000_init');
    expect(report.takeover).toEqual({
      users: 3,
      logs: 5,
      predict: 3,
      detachedLogs: 1,
      detachedPredicts: 0,
      keptColumns: [],
    });
  });

  it('keeps every user with their id and hash, as role user', async () => {
    const rows = await queryRows<{
      id: string;
      username: string;
      password: string;
      role: string;
      created: boolean;
    }>(
      legacy.db,
      sql`select id::text as id, username, password, role, created_at is not null as created from users order by users.id`,
    );
    expect(rows).toEqual(
      legacyUsers.map((u) => ({
        id: String(u.id),
        username: u.username,
        password: u.hash,
        role: 'user',
        created: true,
      })),
    );
  });

  it('turns the São Paulo text dates into instants, on both sides of midnight and in daylight saving time', async () => {
    const rows = await queryRows<{
      id: string;
      date: string;
      username_log: string | null;
      action: string;
      user_id: string | null;
    }>(
      legacy.db,
      sql`select id::text as id, to_char(date at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as date, username_log, action, user_id::text as user_id
          from logs order by logs.id`,
    );
    const expected = legacyLogs.map((l) => ({
      id: String(l.id),
      date: l.utc,
      username_log: l.usernameLog,
      action: l.action,
      // the user 77 was deleted by the legacy backend: its log row stays, without a user
      user_id: l.userId === null || l.userId === 77 ? null : String(l.userId),
    }));
    const takeoverLog = rows.at(-1);
    expect(rows.slice(0, -1)).toEqual(expected);
    expect(takeoverLog).toMatchObject({
      id: '10',
      action: 'legacy data taken over: 3 users, 5 logs, 3 forecasts (1 without their user)',
      user_id: null,
      username_log: null,
    });
  });

  it("converts every forecast to Ethcast's shape: day and value, no band, ETH-USD, the model kept", async () => {
    const rows = await queryRows<Record<string, unknown>>(
      legacy.db,
      sql`select id::text as id, username_predict, user_id::text as user_id, to_char(date at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as date,
            forecast_result as points, last_point as last, symbol, days, model, model_version, data_through, note, forecast
          from predict order by predict.id`,
    );
    expect(rows).toEqual(
      legacyPredicts.map((p) => {
        const points = p.points.map((q) => ({ day: q.date, value: q.predicted_value }));
        const last = points.at(-1);
        const money = (v = 0) => v.toFixed(v >= 100 ? 2 : 4);
        return {
          id: String(p.id),
          username_predict: p.usernamePredict,
          user_id: String(p.userId),
          date: p.utc,
          points,
          last,
          symbol: 'ETH-USD',
          days: points.length,
          model: p.model,
          model_version: null,
          data_through: null,
          note: null,
          forecast: `ETH-USD ${points.length}-day forecast with ${p.model}: ${last?.day} ${money(last?.value)}`,
        };
      }),
    );
  });

  it('moves every identity past the largest id', async () => {
    const next = async (table: string) =>
      (
        await queryRows<{ id: string }>(
          legacy.db,
          sql.raw(`select nextval(pg_get_serial_sequence('public.${table}', 'id'))::text as id`),
        )
      )[0]?.id;
    expect(await next('users')).toBe('6');
    expect(await next('logs')).toBe('11');
    expect(await next('predict')).toBe('7');
  });

  it('leaves the exact schema a fresh database gets, and a second run changes nothing', async () => {
    fresh = await createTestDb({ fresh: true, migrate: false });
    await migrate(fresh);
    expect(await schemaSnapshot(legacy.db)).toEqual(await schemaSnapshot(fresh.db));
    const migrations = (db: TestDb) =>
      queryRows(db.db, sql`select hash, created_at::text from drizzle.__drizzle_migrations order by id`);
    expect(await migrations(legacy)).toEqual(await migrations(fresh));
    const before = await dataSnapshot(legacy.db);
    expect(await migrate(legacy)).toEqual({ applied: [], takeover: null });
    expect(await dataSnapshot(legacy.db)).toEqual(before);
    // a second engine starts here: several seconds for PGlite on a busy machine
  }, 120_000);

  it('a legacy user signs in with the old password, is re-hashed at cost 12, and sees their forecasts', async () => {
    const services = testServices(legacy, { BCRYPT_COST: '12' });
    const joao = legacyUsers[0];
    const login = await (await anonymousCaller(services)).users.login({
      username: joao.username,
      password: joao.password,
    });
    expect(login.user).toMatchObject({ id: 1, username: 'joao', role: 'user' });
    const [stored] = await queryRows<{ password: string }>(
      legacy.db,
      sql`select password from users where id = 1`,
    );
    expect(stored?.password).toMatch(/^\$2b\$12\$/);
    expect(stored?.password).not.toBe(joao.hash);

    const session = await findSessionByToken(services.db, login.token);
    const caller = createCaller(await createContextInner(services, { session, token: login.token }));
    const page = await caller.predicts.list();
    expect(page.items.map((r) => r.id)).toEqual([4, 1]);
    expect(page.items[1]).toMatchObject({ symbol: 'ETH-USD', model: 'lstm', days: 1, dataThrough: null });
    expect(page.items[1]?.lastPoint).toEqual({ day: '2024-12-02', value: 3612.5 });

    // an actual close for the forecast day: still matched by day, with no band to be inside
    await upsertPrices(
      services.db,
      [{ symbol: 'ETH-USD', day: '2024-12-02', open: 3700, high: 3720, low: 3580, close: 3650, volume: 1 }],
      'test',
    );
    const detail = await caller.predicts.byId({ id: 1 });
    expect(detail.points).toEqual([{ day: '2024-12-02', value: 3612.5 }]);
    expect(detail.actuals).toEqual([
      {
        day: '2024-12-02',
        actual: 3650,
        value: 3612.5,
        error: 37.5,
        inside80: null,
        inside95: null,
        // a legacy row has no origin day, so the score-forecasts job never stores its scores
        scored: false,
      },
    ]);
    expect(detail.accuracy).toMatchObject({ n: 1, mae: 37.5, coverage80: null, coverage95: null });
    // maria's forecast is not joao's to see: as for a missing id
    await expect(caller.predicts.byId({ id: 6 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
