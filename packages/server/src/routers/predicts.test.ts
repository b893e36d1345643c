import { dayFromNumber, dayNumber } from '@ethcast/days';
import { TRPCError } from '@trpc/server';
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { upsertPrices } from '../db/queries/price-upsert.ts';
import { logs, predict } from '../db/schema.ts';
import { ForecastGate } from '../forecasts/forecast-gate.ts';
import type { Services } from '../services.ts';
import {
  type Actor,
  anonymousCaller,
  codeOf,
  createActor,
  createActors,
  testServices,
} from '../test/actors.ts';
import { type TestDb, testEngine } from '../test/db.ts';
import { useTestDb } from '../test/fixtures.ts';
import { generateCandles, seedPrices } from '../test/price-csv.ts';

const START = '2024-01-01';
const HISTORY_DAYS = 500;
const LAST_DAY = dayFromNumber((dayNumber(START) ?? 0) + HISTORY_DAYS - 1);

describe(`predicts.* and models.* (${testEngine})`, () => {
  let testDb: TestDb;
  let services: Services;
  let owner: Actor;
  let other: Actor;
  let admin: Actor;
  useTestDb(
    async (fresh, db) => {
      testDb = db;
      services = fresh;
      await seedPrices(services.db, 'ETH-USD', START, HISTORY_DAYS, 7);
      ({ owner, other, admin } = await createActors(services, {
        owner: 'owner',
        other: 'other',
        admin: ['boss', 'admin'],
      }));
    },
    { per: 'test' },
  );

  it('models.list shows the registry with exactly one default per symbol', async () => {
    const models = await (await anonymousCaller(services)).models.list({ symbol: 'ETH-USD' });
    expect(models.map((m) => m.name)).toEqual(expect.arrayContaining(['naive', 'drift']));
    expect(models.filter((m) => m.isDefault).length).toBeLessThanOrEqual(1);
    expect(models.every((m) => m.symbol === 'ETH-USD' && m.maxHorizon >= 1)).toBe(true);
  });

  it('create runs the forecast on the latest prices and stores it with its log row', async () => {
    const row = await owner.caller.predicts.create({ model: 'naive', days: 7, note: 'first try' });
    expect(row).toMatchObject({
      userId: owner.user.id,
      symbol: 'ETH-USD',
      model: 'naive',
      days: 7,
      dataThrough: LAST_DAY,
    });
    expect(row.points).toHaveLength(7);
    expect(row.date).toBeInstanceOf(Date);
    expect(row.note).toBe('first try');
    // the row as stored equals the row returned (one statement inserts it and its log row)
    expect(await owner.caller.predicts.byId({ id: row.id })).toMatchObject({
      id: row.id,
      date: row.date,
      points: row.points,
    });
    const first = row.points?.[0];
    expect(first?.day).toBe(dayFromNumber((dayNumber(LAST_DAY) ?? 0) + 1));
    for (const p of row.points ?? []) {
      if (
        p.lower80 === undefined ||
        p.upper80 === undefined ||
        p.lower95 === undefined ||
        p.upper95 === undefined
      ) {
        throw new Error(`forecast point ${p.day} has no bands`);
      }
      expect(p.lower95).toBeLessThanOrEqual(p.lower80);
      expect(p.lower80).toBeLessThanOrEqual(p.value);
      expect(p.value).toBeLessThanOrEqual(p.upper80);
      expect(p.upper80).toBeLessThanOrEqual(p.upper95);
    }
    expect(row.modelVersion).toBeTruthy();
    expect(row.forecast).toContain('ETH-USD 7-day forecast with naive');
    const logRows = await services.db
      .select()
      .from(logs)
      .where(eq(logs.action, 'predict success with model naive'));
    expect(logRows).toHaveLength(1);
    expect(logRows[0]?.userId).toBe(owner.user.id);
    expect(logRows[0]?.usernameLog).toBe('owner');
  });

  it('create without a model uses the symbol default', async () => {
    const registryDefault = (await services.models()).defaultModel('ETH-USD');
    const row = await owner.caller.predicts.create({ days: 3 });
    expect(row.model).toBe(registryDefault.name);
  });

  it('each bad create gets its own clear error, and failures are logged', async () => {
    const c = owner.caller.predicts;
    const unknown = await c.create({ model: 'crystal-ball', days: 7 }).catch((e: TRPCError) => e);
    expect(unknown).toBeInstanceOf(TRPCError);
    expect((unknown as TRPCError).code).toBe('BAD_REQUEST');
    expect((unknown as TRPCError).message).toMatch(
      /^Unknown model 'crystal-ball' for ETH-USD; available: .*naive/,
    );
    expect(await codeOf(c.create({ model: 'naive', days: 0 }))).toBe('BAD_REQUEST');
    const tooLong = await c.create({ model: 'naive', days: 31 }).catch((e: TRPCError) => e);
    expect((tooLong as TRPCError).code).toBe('BAD_REQUEST');
    expect((tooLong as TRPCError).message).toBe('naive forecasts at most 30 days ahead; 31 were asked');
    const noSymbol = await c
      .create({ model: 'naive', days: 7, symbol: 'DOGE-USD' })
      .catch((e: TRPCError) => e);
    expect((noSymbol as TRPCError).code).toBe('BAD_REQUEST');
    const failed = await services.db
      .select()
      .from(logs)
      .where(sql`${logs.action} like 'predict failed with model %'`);
    expect(failed.map((f) => f.action).sort()).toEqual([
      'predict failed with model crystal-ball',
      'predict failed with model naive',
      'predict failed with model naive',
    ]);
    expect(failed.every((f) => f.userId === owner.user.id)).toBe(true);
  });

  it('too short a history is PRECONDITION_FAILED and says how much is missing', async () => {
    await testDb.reset();
    services = testServices(testDb);
    const user = await createActor(services, 'shorty');
    await upsertPrices(services.db, generateCandles('ETH-USD', START, 10, 3), 'test');
    const error = await user.caller.predicts.create({ model: 'drift', days: 7 }).catch((e: TRPCError) => e);
    expect((error as TRPCError).code).toBe('PRECONDITION_FAILED');
    const info = (await services.models()).get('ETH-USD', 'drift');
    expect((error as TRPCError).message).toBe(
      `drift needs ${info.minHistory} consecutive days of ETH-USD prices; 10 are stored (${info.minHistory - 10} missing). Import prices first.`,
    );
  });

  it('a failure in the log insert leaves no predict row', async () => {
    await services.db.execute(sql`
      create function ethcast_test_fail_log() returns trigger language plpgsql as $$
      begin if new.action like 'predict success%' then raise exception 'refused by test'; end if; return new; end $$`);
    await services.db.execute(
      sql`create trigger ethcast_test_fail_log before insert on logs for each row execute function ethcast_test_fail_log()`,
    );
    try {
      expect(await codeOf(owner.caller.predicts.create({ model: 'naive', days: 7 }))).toBe(
        'INTERNAL_SERVER_ERROR',
      );
    } finally {
      await services.db.execute(sql`drop trigger ethcast_test_fail_log on logs`);
      await services.db.execute(sql`drop function ethcast_test_fail_log()`);
    }
    expect(await services.db.select().from(predict)).toHaveLength(0);
  });

  it('byId reports actual closes and errors once prices for the forecast days are imported', async () => {
    const row = await owner.caller.predicts.create({ model: 'drift', days: 7 });
    const before = await owner.caller.predicts.byId({ id: row.id });
    expect(before.actuals).toEqual([]);
    expect(before.accuracy).toBeNull();
    const future = generateCandles('ETH-USD', dayFromNumber((dayNumber(LAST_DAY) ?? 0) + 1), 3, 99);
    await upsertPrices(services.db, future, 'test');
    const after = await owner.caller.predicts.byId({ id: row.id });
    expect(after.actuals).toHaveLength(3);
    for (const [i, actual] of after.actuals.entries()) {
      const candle = future[i];
      const point = row.points?.[i];
      if (!candle || !point) throw new Error('missing fixture');
      expect(actual.day).toBe(candle.day);
      expect(actual.actual).toBe(candle.close);
      expect(actual.error).toBeCloseTo(candle.close - point.value, 9);
      expect(actual.inside80).toBe(
        candle.close >= (point.lower80 ?? Number.NaN) && candle.close <= (point.upper80 ?? Number.NaN),
      );
    }
    const mae = after.actuals.reduce((s, a) => s + Math.abs(a.error), 0) / 3;
    expect(after.accuracy?.n).toBe(3);
    expect(after.accuracy?.mae).toBeCloseTo(mae, 9);
    const mape = (100 * after.actuals.reduce((s, a) => s + Math.abs(a.error) / a.actual, 0)) / 3;
    expect(after.accuracy?.mape).toBeCloseTo(mape, 9); // percent, like the backtest metrics
  });

  it('the list paginates newest first without duplicates or gaps while rows are inserted', async () => {
    const created: number[] = [];
    for (let i = 0; i < 12; i++)
      created.push((await owner.caller.predicts.create({ model: 'naive', days: 1 })).id);
    const seen: number[] = [];
    let cursor: number | undefined;
    do {
      const page = await owner.caller.predicts.list({ limit: 5, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((r) => r.id));
      // someone keeps forecasting between page loads
      await owner.caller.predicts.create({ model: 'naive', days: 1 });
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([...created].reverse());
  });

  it('the list shows only own rows; admins may filter by user or see all', async () => {
    const mine = await owner.caller.predicts.create({ model: 'naive', days: 2 });
    await other.caller.predicts.create({ model: 'drift', days: 2 });
    const own = await owner.caller.predicts.list({});
    expect(own.items.map((r) => r.usernamePredict)).toEqual(['owner']);
    // a page carries the last point of each forecast, not all of them
    expect(own.items[0]?.lastPoint).toEqual(mine.points?.at(-1));
    expect(own.items[0]).not.toHaveProperty('points');
    expect((await admin.caller.predicts.list({})).items).toHaveLength(2);
    expect((await admin.caller.predicts.list({ userId: other.user.id })).items.map((r) => r.model)).toEqual([
      'drift',
    ]);
    expect((await admin.caller.predicts.list({ model: 'naive' })).items.map((r) => r.userId)).toEqual([
      owner.user.id,
    ]);
  });

  it('update changes only the note; delete removes the row; both are logged', async () => {
    const row = await owner.caller.predicts.create({ model: 'naive', days: 3 });
    const updated = await owner.caller.predicts.update({ id: row.id, note: 'changed my mind' });
    expect(updated.note).toBe('changed my mind');
    expect(updated.points).toEqual(row.points);
    // the forecast itself cannot be rewritten: unknown keys are refused
    const rewrite = owner.caller.predicts.update({ id: row.id, note: 'x', points: [] } as never);
    expect(await codeOf(rewrite)).toBe('BAD_REQUEST');
    await owner.caller.predicts.delete({ id: row.id });
    expect(await codeOf(owner.caller.predicts.byId({ id: row.id }))).toBe('NOT_FOUND');
    const actions = (await services.db.select({ a: logs.action }).from(logs)).map((r) => r.a);
    expect(actions).toEqual(
      expect.arrayContaining([`predict ${row.id} note updated`, `predict ${row.id} deleted`]),
    );
  });

  it('a non-existent id is NOT_FOUND for every procedure', async () => {
    const c = admin.caller.predicts;
    expect(await codeOf(c.byId({ id: 987654 }))).toBe('NOT_FOUND');
    expect(await codeOf(c.update({ id: 987654, note: 'x' }))).toBe('NOT_FOUND');
    expect(await codeOf(c.delete({ id: 987654 }))).toBe('NOT_FOUND');
  });

  it('authorization: anonymous, owner, other user and admin on every predicts.* procedure', async () => {
    const anon = await anonymousCaller(services);
    const row = await owner.caller.predicts.create({ model: 'naive', days: 2 });
    const cases: [string, (c: Actor['caller']) => Promise<unknown>, Record<string, string>][] = [
      [
        'create',
        (c) => c.predicts.create({ model: 'naive', days: 1 }),
        { anon: 'UNAUTHORIZED', owner: 'ok', other: 'ok', admin: 'ok' },
      ],
      ['list', (c) => c.predicts.list({}), { anon: 'UNAUTHORIZED', owner: 'ok', other: 'ok', admin: 'ok' }],
      [
        'list(userId owner)',
        (c) => c.predicts.list({ userId: owner.user.id }),
        { anon: 'UNAUTHORIZED', owner: 'ok', other: 'ok', admin: 'ok' },
      ],
      [
        'byId',
        (c) => c.predicts.byId({ id: row.id }),
        { anon: 'UNAUTHORIZED', owner: 'ok', other: 'NOT_FOUND', admin: 'ok' },
      ],
      [
        'update',
        (c) => c.predicts.update({ id: row.id, note: 'n' }),
        { anon: 'UNAUTHORIZED', owner: 'ok', other: 'NOT_FOUND', admin: 'ok' },
      ],
      ['models.list', (c) => c.models.list({}), { anon: 'ok', owner: 'ok', other: 'ok', admin: 'ok' }],
    ];
    const callers = { anon, owner: owner.caller, other: other.caller, admin: admin.caller };
    for (const [name, run, expected] of cases) {
      for (const [who, caller] of Object.entries(callers)) {
        expect(`${name} as ${who}: ${await codeOf(run(caller))}`).toBe(`${name} as ${who}: ${expected[who]}`);
      }
    }
    // delete last: owner's row by other (not found, like a missing id), then admin (ok), then owner (gone)
    expect(await codeOf(anon.predicts.delete({ id: row.id }))).toBe('UNAUTHORIZED');
    expect(await codeOf(other.caller.predicts.delete({ id: row.id }))).toBe('NOT_FOUND');
    const second = await owner.caller.predicts.create({ model: 'naive', days: 1 });
    expect(await codeOf(owner.caller.predicts.delete({ id: second.id }))).toBe('ok');
    expect(await codeOf(admin.caller.predicts.delete({ id: row.id }))).toBe('ok');
  });

  it('50 concurrent creates store 50 rows and 50 log rows', async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        owner.caller.predicts.create({ model: i % 2 ? 'naive' : 'drift', days: 7 }),
      ),
    );
    expect(new Set(results.map((r) => r.id)).size).toBe(50);
    expect(await services.db.select().from(predict)).toHaveLength(50);
    const success = await services.db.select().from(logs).where(sql`${logs.action} like 'predict success%'`);
    expect(success).toHaveLength(50);
  });

  it('creates run at most PREDICT_CONCURRENCY at a time, and a full queue is TOO_MANY_REQUESTS, not logged', async () => {
    const gate = new ForecastGate(services.config.forecastLimits, 2);
    let peak = 0;
    const run = gate.queue.run.bind(gate.queue);
    gate.queue.run = ((key, task, admitted) =>
      run(
        key,
        () => {
          peak = Math.max(peak, gate.queue.running);
          return task();
        },
        admitted,
      )) as typeof gate.queue.run;
    services.forecastGate = gate;
    // two users: one alone never holds both slots (forecasts/fair-queue.ts)
    const users = [await createActor(services, 'queued'), await createActor(services, 'queued_too')];
    const rows = await Promise.all(
      Array.from({ length: 10 }, (_, i) => users[i % 2]?.caller.predicts.create({ model: 'naive', days: 3 })),
    );
    expect(rows).toHaveLength(10);
    expect(peak).toBe(2);

    services.forecastGate = new ForecastGate(services.config.forecastLimits, 1, 0);
    const busy = await createActor(services, 'busy');
    let release = () => {};
    const slotHeld = new Promise<void>((resolve) => {
      release = resolve;
    });
    const held = services.forecastGate.queue.run('someone else', () => slotHeld);
    const refused = await busy.caller.predicts.create({ model: 'naive', days: 3 }).catch((e: TRPCError) => e);
    release();
    await held;
    expect((refused as TRPCError).code).toBe('TOO_MANY_REQUESTS');
    expect((refused as TRPCError).message).toBe(
      'The server is busy with other forecasts; try again in a moment',
    );
    // a refusal by a limit is no audit event (a flood would write one row per request)
    const failed = await services.db
      .select()
      .from(logs)
      .where(sql`${logs.userId} = ${busy.user.id} and ${logs.action} like 'predict%'`);
    expect(failed).toEqual([]);
    expect(await busy.caller.predicts.create({ model: 'naive', days: 3 })).toMatchObject({ days: 3 });
  });
});
