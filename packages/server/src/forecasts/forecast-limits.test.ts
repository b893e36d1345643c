import type { ModelRegistry } from '@ethcast/forecast';
import { TRPCError } from '@trpc/server';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createContextInner } from '../context.ts';
import { createDb, type DbHandle } from '../db/client.ts';
import { findSessionByToken } from '../db/queries/sessions.ts';
import { logs, predict } from '../db/schema.ts';
import { DomainError } from '../domain/errors.ts';
import { loadConfig } from '../env.ts';
import { createCaller } from '../router.ts';
import type { Services } from '../services.ts';
import { createServices } from '../services.ts';
import { type Actor, createActor } from '../test/actors.ts';
import { createTestDb, type TestDb, testEngine } from '../test/db.ts';
import { seedPrices } from '../test/price-csv.ts';

type Outcome = { code: string; reason?: string; params?: Record<string, unknown> };

/** 'ok', or the refusal's tRPC code with the domain reason and params behind it. */
const outcomeOf = (promise: Promise<unknown>): Promise<Outcome> =>
  promise.then(
    () => ({ code: 'ok' }),
    (error: unknown) => {
      if (!(error instanceof TRPCError)) return { code: `unexpected: ${String(error)}` };
      const cause = error.cause instanceof DomainError ? error.cause : null;
      return { code: error.code, reason: cause?.reason, params: cause?.params };
    },
  );

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((res) => {
    resolve = res;
  });
  return { promise, resolve };
};

/** A "now" the test moves by hand. */
const manualClock = (iso: string) => {
  let now = new Date(iso).getTime();
  return {
    clock: () => new Date(now),
    set: (at: string) => {
      now = new Date(at).getTime();
    },
    advance: (seconds: number) => {
      now += seconds * 1000;
    },
  };
};

/**
 * A gate in front of every forecast of `services` (installed before any caller copies the services into
 * its context): while held, a create waits there once its model runs, its slot and lease held, until
 * `open()`. Open at first.
 */
function installGate(services: Services) {
  let gate = { promise: Promise.resolve(), resolve: () => {} };
  let entered = 0;
  const arrivals = waitingRoom();
  beforeEachForecast(services, async () => {
    entered++;
    arrivals.notify();
    await gate.promise;
  });
  return {
    hold() {
      gate = deferred();
      entered = 0;
    },
    open: () => gate.resolve(),
    /** resolves once `n` creates wait at the gate since it was held */
    reached: (n: number) => arrivals.until(() => entered >= n),
  };
}
/**
 * Gates in front of the forecasts of `services`, one per horizon (so a test holds one user's creates and
 * lets another's through): `hold(h)`, then a create of horizon `h` waits once its model runs, its slot
 * and lease held, until `open(h)`.
 */
function installHorizonGates(services: Services) {
  const held = new Map<number, ReturnType<typeof deferred>>();
  const entered = new Map<number, number>();
  const arrivals = waitingRoom();
  beforeEachForecast(services, async ({ horizon }) => {
    entered.set(horizon, (entered.get(horizon) ?? 0) + 1);
    arrivals.notify();
    await held.get(horizon)?.promise;
  });
  return {
    hold: (horizon: number) => held.set(horizon, deferred()),
    open: (horizon: number) => held.get(horizon)?.resolve(),
    /** resolves once `n` creates of this horizon reached their gate */
    reached: (horizon: number, n: number) => arrivals.until(() => (entered.get(horizon) ?? 0) >= n),
  };
}

/** Runs `before` ahead of every forecast of `services`' models (one registry, loaded once). */
function beforeEachForecast(
  services: Services,
  before: (args: Parameters<ModelRegistry['forecast']>[0]) => Promise<void>,
) {
  const load = services.models;
  let gated: Promise<ModelRegistry> | null = null;
  services.models = () => {
    gated ??= load().then((real) => {
      const view = Object.create(real) as ModelRegistry;
      view.forecast = async (args) => {
        await before(args);
        return real.forecast(args);
      };
      return view;
    });
    return gated;
  };
}

/** Promises that resolve once their condition holds, checked again on each `notify()`. */
function waitingRoom() {
  const waiters: (() => void)[] = [];
  return {
    notify: () => {
      for (const waiter of waiters.splice(0)) waiter();
    },
    until: (condition: () => boolean) =>
      new Promise<void>((resolve) => {
        const check = () => (condition() ? resolve() : waiters.push(check));
        check();
      }),
  };
}

const gates = new WeakMap<Services, ReturnType<typeof installGate>>();
const withGate = (services: Services) => {
  gates.set(services, installGate(services));
  return services;
};
const gateOf = (services: Services) => {
  const gate = gates.get(services);
  if (!gate) throw new Error('no gate installed');
  gate.hold();
  return gate;
};

describe(`per-user forecast limits (${testEngine})`, () => {
  let testDb: TestDb;
  let second: DbHandle | null = null;
  const extraHandles: DbHandle[] = [];
  beforeAll(async () => {
    testDb = await createTestDb();
  });
  beforeEach(async () => {
    await testDb.reset();
    await seedPrices(testDb.db, 'ETH-USD', '2024-01-01', 500, 3);
  });
  afterAll(async () => {
    for (const handle of extraHandles) await handle.close();
    await testDb?.close();
  });

  /**
   * Another server's Services on the same database: on PostgreSQL with a connection pool of its own,
   * as a second process has; PGlite has one connection, which both share (as two processes could not).
   */
  const replica = async (env: Record<string, string>, clock: () => Date): Promise<Services> => {
    let handle = testDb.handle;
    if (testDb.url) {
      second = await createDb({ url: testDb.url, max: 5 });
      extraHandles.push(second);
      handle = second;
    }
    return withGate(
      createServices(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env }), handle, { clock }),
    );
  };
  const services = (env: Record<string, string>, clock: () => Date) =>
    withGate(
      createServices(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env }), testDb.handle, {
        clock,
      }),
    );

  /** The same signed-in user, calling through other Services (another process). */
  const sameUserOn = async (other: Services, actor: Actor) => {
    const session = await findSessionByToken(other.db, actor.token);
    return createCaller(await createContextInner(other, { session, token: actor.token }));
  };

  /**
   * Two servers on one database with `env`, and users ana (signed in on both) and bob, named
   * `ana_<suffix>` and `bob_<suffix>`.
   */
  const twoServers = async (env: Record<string, string>, clock: () => Date, suffix: string) => {
    const one = services(env, clock);
    const two = await replica(env, clock);
    const ana = await createActor(one, `ana_${suffix}`);
    const anaOnTwo = await sameUserOn(two, ana);
    const bob = await createActor(one, `bob_${suffix}`);
    return { one, two, ana, anaOnTwo, bob };
  };

  const create = (caller: Actor['caller'], model = 'naive') =>
    outcomeOf(caller.predicts.create({ model, days: 3 }));

  it("one user's flood takes no other user's turn: the excess is refused at once, the other's creates go next", async () => {
    const time = manualClock('2026-12-08T10:00:00Z');
    const s = services({ PREDICT_CONCURRENCY: '2', FORECAST_USER_CONCURRENCY: '4' }, time.clock);
    const flooder = await createActor(s, 'flooder_calls');
    const other = await createActor(s, 'other_calls');
    await s.models();
    const gate = gateOf(s);
    const flood = Array.from({ length: 60 }, () => create(flooder.caller));
    await gate.reached(1);
    // 4 of the flooder's were admitted (one holds a slot: one user never holds both, three wait); the
    // other 56 were refused before any query
    const refusedAtOnce = await Promise.all(flood.slice(4));
    expect(refusedAtOnce.every((o) => o.reason === 'FORECAST_CONCURRENCY_LIMITED')).toBe(true);
    expect(refusedAtOnce[0]?.params).toEqual({ limit: 4, retryAfterSeconds: 1 });
    // (the three reserve in the database, then wait for a slot)
    while (s.forecastGate.queue.queued < 3) await new Promise((r) => setTimeout(r, 5));
    expect(s.forecastGate.queue.pending(flooder.user.id)).toBe(4);
    // the other user's create starts at once, on the slot the flooder may not take
    const mine = create(other.caller);
    await gate.reached(2);
    gate.open();
    expect(await mine).toEqual({ code: 'ok' });
    expect(await Promise.all(flood.slice(0, 4))).toEqual(Array(4).fill({ code: 'ok' }));
    // stored before the flooder's three waiting ones
    const order = await s.db.select({ userId: predict.userId }).from(predict).orderBy(predict.id);
    expect(order.findIndex((r) => r.userId === other.user.id)).toBeLessThanOrEqual(1);
  });

  it("a flooder's queued creates take only the slots other users leave over: none starts while another user's single create runs", async () => {
    const time = manualClock('2026-12-08T10:00:00Z');
    const s = createServices(
      loadConfig({
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        PREDICT_CONCURRENCY: '2',
        FORECAST_USER_CONCURRENCY: '4',
      }),
      testDb.handle,
      { clock: time.clock },
    );
    const gates = installHorizonGates(s);
    const flooder = await createActor(s, 'flooder_bulk');
    const other = await createActor(s, 'other_single');
    await s.models();
    const queue = s.forecastGate.queue;
    // the flooder's four creates (3 days): one runs and is held, three wait (one user never holds both slots)
    gates.hold(3);
    const flood = Array.from({ length: 4 }, () => create(flooder.caller));
    await gates.reached(3, 1);
    while (queue.queued < 3) await new Promise((r) => setTimeout(r, 5));
    // the other user's one create (5 days) starts at once on the free slot, and is held
    gates.hold(5);
    const mine = outcomeOf(other.caller.predicts.create({ model: 'naive', days: 5 }));
    await gates.reached(5, 1);
    // the flooder's running create ends: its slot stays free while the other user's create runs
    gates.open(3);
    expect(await Promise.race(flood)).toEqual({ code: 'ok' });
    expect(queue.running).toBe(1);
    expect(queue.queued).toBe(3);
    expect(queue.pending(flooder.user.id)).toBe(3);
    // once it ends, the flooder's next ones go
    gates.open(5);
    expect(await mine).toEqual({ code: 'ok' });
    expect(await Promise.all(flood)).toEqual(Array(4).fill({ code: 'ok' }));
    const order = await s.db.select({ userId: predict.userId }).from(predict).orderBy(predict.id);
    expect(order.map((r) => (r.userId === other.user.id ? 'other' : 'flooder'))).toEqual([
      'flooder',
      'other',
      'flooder',
      'flooder',
      'flooder',
    ]);
  });

  it('caps the forecasts a user stores per UTC day; failures do not count, deletions give nothing back', async () => {
    const time = manualClock('2026-12-08T10:00:00Z');
    const s = services({ FORECAST_DAILY_CAP: '3' }, time.clock);
    const ana = await createActor(s, 'ana_daily');
    const bob = await createActor(s, 'bob_daily');
    const boss = await createActor(s, 'boss_daily', 'admin');

    expect(await create(ana.caller)).toEqual({ code: 'ok' });
    expect((await create(ana.caller, 'no-such-model')).reason).toBe('UNKNOWN_MODEL');
    expect(await create(ana.caller)).toEqual({ code: 'ok' });
    expect(await create(ana.caller)).toEqual({ code: 'ok' });
    const capped = await create(ana.caller);
    expect(capped).toEqual({
      code: 'TOO_MANY_REQUESTS',
      reason: 'FORECAST_DAILY_CAP',
      params: { limit: 3, resetsAt: '2026-12-09', retryAfterSeconds: 14 * 3600 },
    });
    const [first] = await s.db
      .select({ id: predict.id })
      .from(predict)
      .where(eq(predict.userId, ana.user.id));
    await ana.caller.predicts.delete({ id: first?.id as number });
    expect((await create(ana.caller)).reason).toBe('FORECAST_DAILY_CAP');

    // another user's day is their own; admins are not capped
    expect(await create(bob.caller)).toEqual({ code: 'ok' });
    for (let i = 0; i < 5; i++) expect(await create(boss.caller)).toEqual({ code: 'ok' });

    // refusals write neither a forecast nor an audit row
    const anaRows = await s.db.select().from(predict).where(eq(predict.userId, ana.user.id));
    expect(anaRows).toHaveLength(2);
    const anaLogs = await s.db
      .select({ action: logs.action })
      .from(logs)
      .where(
        sql`${logs.userId} = ${ana.user.id} and (${logs.action} like 'predict success%' or ${logs.action} like 'predict failed%')`,
      );
    expect(anaLogs.map((l) => l.action).sort()).toEqual([
      'predict failed with model no-such-model',
      'predict success with model naive',
      'predict success with model naive',
      'predict success with model naive',
    ]);

    time.set('2026-12-09T00:00:01Z');
    expect(await create(ana.caller)).toEqual({ code: 'ok' });
  });

  it('rate-limits a user across two servers on one database (a token bucket in the database)', async () => {
    const time = manualClock('2026-12-08T10:00:00Z');
    const env = { FORECAST_RATE_PER_MINUTE: '6', FORECAST_BURST: '3' };
    const { one, ana, anaOnTwo, bob } = await twoServers(env, time.clock, 'rate');

    // a burst of 3, taken alternately on both servers
    expect(await create(ana.caller)).toEqual({ code: 'ok' });
    expect(await create(anaOnTwo)).toEqual({ code: 'ok' });
    expect(await create(ana.caller)).toEqual({ code: 'ok' });
    const limited = { code: 'TOO_MANY_REQUESTS', reason: 'FORECAST_RATE_LIMITED' };
    expect(await create(anaOnTwo)).toMatchObject({
      ...limited,
      params: { perMinute: 6, burst: 3, retryAfterSeconds: 10 },
    });
    expect(await create(ana.caller)).toMatchObject(limited);
    // the bucket is per user
    expect(await create(bob.caller)).toEqual({ code: 'ok' });

    // a minute later the bucket is full again (3, not 6): 12 creates at once on both servers, 3 pass
    time.advance(60);
    const burst = await Promise.all(
      Array.from({ length: 12 }, (_, i) => create(i % 2 ? anaOnTwo : ana.caller)),
    );
    expect(burst.filter((o) => o.code === 'ok')).toHaveLength(3);
    expect(burst.filter((o) => o.reason === 'FORECAST_RATE_LIMITED')).toHaveLength(9);

    // one token every 10 s
    time.advance(9);
    expect((await create(anaOnTwo)).reason).toBe('FORECAST_RATE_LIMITED');
    time.advance(1);
    expect(await create(anaOnTwo)).toEqual({ code: 'ok' });
    expect((await create(ana.caller)).reason).toBe('FORECAST_RATE_LIMITED');

    const stored = await one.db
      .select({ id: predict.id })
      .from(predict)
      .where(eq(predict.userId, ana.user.id));
    expect(stored).toHaveLength(7);
  });

  it("limits a user's forecasts in progress across servers; a dead server's hold expires", async () => {
    const time = manualClock('2026-12-08T10:00:00Z');
    // eight slots per process: the held creates never make the others wait for a slot
    const env = { FORECAST_USER_CONCURRENCY: '2', PREDICT_CONCURRENCY: '8' };
    const { one, two, ana, anaOnTwo, bob } = await twoServers(env, time.clock, 'conc');
    const boss = await createActor(one, 'boss_conc', 'admin');

    const gate = gateOf(one);
    const held = [create(ana.caller), create(ana.caller)];
    await gate.reached(2);
    const busy = { code: 'TOO_MANY_REQUESTS', reason: 'FORECAST_CONCURRENCY_LIMITED' };
    // the third, on this server (refused before any query) and on the other one (counted in the database)
    expect(await create(ana.caller)).toMatchObject({ ...busy, params: { limit: 2, retryAfterSeconds: 1 } });
    expect(await create(anaOnTwo)).toMatchObject(busy);
    // admins are limited too: two in progress, the third refused
    const bossHeld = [create(boss.caller), create(boss.caller)];
    await gate.reached(4);
    expect(await create(boss.caller)).toMatchObject(busy);
    // another user is not
    const bobOnTwo = await sameUserOn(two, bob);
    expect(await create(bobOnTwo)).toEqual({ code: 'ok' });

    gate.open();
    expect(await Promise.all([...held, ...bossHeld])).toEqual(Array(4).fill({ code: 'ok' }));
    expect(await create(anaOnTwo)).toEqual({ code: 'ok' });

    // a server that dies with creates in progress: its holds count until they expire
    const doomed = await replica(env, time.clock);
    const doomedGate = gateOf(doomed);
    const anaOnDoomed = await sameUserOn(doomed, ana);
    const stuck = [create(anaOnDoomed), create(anaOnDoomed)];
    await doomedGate.reached(2);
    expect(await create(anaOnTwo)).toMatchObject(busy);
    time.advance(10 * 60);
    expect(await create(anaOnTwo)).toEqual({ code: 'ok' });
    expect(await create(anaOnTwo)).toEqual({ code: 'ok' });
    // (let them end before the database closes; ending late gives back nothing that is not theirs)
    doomedGate.open();
    await Promise.all(stuck);
    const gateTwo = gateOf(two);
    const last = [create(anaOnTwo), create(anaOnTwo)];
    await gateTwo.reached(2);
    expect(await create(ana.caller)).toMatchObject(busy);
    gateTwo.open();
    await Promise.all(last);
  });
});
