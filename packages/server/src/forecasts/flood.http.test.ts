import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../db/client.ts';
import { logs, predict } from '../db/schema.ts';
import { type Actor, createActor, testServices } from '../test/actors.ts';
import { createTestDb, type TestDb, testEngine } from '../test/db.ts';
import { postProcedure } from '../test/http-calls.ts';
import { seedPrices } from '../test/price-csv.ts';
import { startTestServer } from '../test/server.ts';

const reasonOf = (text: string) =>
  (JSON.parse(text) as { error?: { json?: { data?: { reason?: string } } } }).error?.json?.data?.reason;

describe(`one user's flood of forecast creates over HTTP (${testEngine})`, () => {
  let testDb: TestDb;
  beforeAll(async () => {
    testDb = await createTestDb();
    await seedPrices(testDb.db, 'ETH-USD', '2024-01-01', 500, 5);
  });
  afterAll(() => testDb?.close());

  it("another user's creates all succeed, each within a turn or two of the flooder's, while the flooder's excess is refused at once", async () => {
    // two slots per process, four forecasts in progress per user; no rate limit or daily cap here
    const server = await startTestServer(
      { PREDICT_CONCURRENCY: '2', FORECAST_USER_CONCURRENCY: '4' },
      { testDb },
    );
    try {
      // the model registry loads once per process (seconds of CPU): not part of what is measured
      await server.services.models();
      const services = testServices(testDb);
      const flooder = await createActor(services, 'flooder');
      const other = await createActor(services, 'patient_user');
      const createAs = (actor: Actor) =>
        postProcedure(
          server.url,
          'predicts.create',
          { model: 'naive', days: 7 },
          { authorization: `Bearer ${actor.token}` },
        );

      // 60 connections creating back to back as the flooder
      let flooding = true;
      const statuses = new Map<string, number>();
      const retryAfters = new Set<string | null>();
      const floodWorker = async () => {
        while (flooding) {
          const answer = await createAs(flooder);
          const key = `${answer.status} ${answer.status === 200 ? '' : reasonOf(answer.text)}`;
          statuses.set(key, (statuses.get(key) ?? 0) + 1);
          if (answer.status === 429) {
            retryAfters.add(answer.headers.get('retry-after'));
            // Client and server share this process: a flooder looping on refusals with no pause at all
            // would measure this process's CPU (the bench does that, from another thread), not turns.
            await new Promise((r) => setTimeout(r, 10));
          }
        }
      };
      const workers = Array.from({ length: 60 }, floodWorker);
      const storedBy = async (userId: number) =>
        (await services.db.select({ id: predict.id }).from(predict).where(eq(predict.userId, userId))).length;
      while ((await storedBy(flooder.user.id)) < 10) await new Promise((r) => setTimeout(r, 20));

      // meanwhile the other user creates six forecasts, one after another
      const overtakenBy: number[] = [];
      const otherStatuses: number[] = [];
      for (let i = 0; i < 6; i++) {
        const [before] = await queryRows<{ max: number }>(
          services.db,
          sql`select coalesce(max(id), 0)::int as max from predict`,
        );
        const answer = await createAs(other);
        otherStatuses.push(answer.status);
        if (answer.status !== 200) continue;
        const id = (JSON.parse(answer.text) as { result: { data: { json: { id: number } } } }).result.data
          .json.id;
        // the flooder's creates stored while this one waited its turn
        const [between] = await queryRows<{ n: number }>(
          services.db,
          sql`select count(*)::int as n from predict where user_id = ${flooder.user.id} and id > ${before?.max ?? 0} and id < ${id}`,
        );
        overtakenBy.push(between?.n ?? -1);
      }
      flooding = false;
      await Promise.all(workers);

      expect(otherStatuses).toEqual([200, 200, 200, 200, 200, 200]);
      // FIFO lets the flooder's ~56 queued creates go first every time; in turn, at most the two running
      // when it arrived, one more per slot, and those the other slot finishes while it runs
      for (const n of overtakenBy) expect(n).toBeLessThanOrEqual(10);
      // the flooder got answers only: its forecasts, or 429 with the reason and a Retry-After
      const answers = [...statuses.keys()];
      expect(answers.every((a) => a === '200 ' || a === '429 FORECAST_CONCURRENCY_LIMITED')).toBe(true);
      expect([...retryAfters].every((r) => r === '1')).toBe(true);
      // PGlite runs each query on the event loop's own thread, so one process takes requests in between
      // and they reach the limit a few at a time; on PostgreSQL the flood piles up and its excess is refused
      if (testEngine === 'postgres') expect(answers).toContain('429 FORECAST_CONCURRENCY_LIMITED');
      // refusals are not audit events: a flood writes no log rows
      const failedLogs = await services.db
        .select()
        .from(logs)
        .where(sql`${logs.userId} = ${flooder.user.id} and ${logs.action} like 'predict failed%'`);
      expect(failedLogs).toHaveLength(0);
    } finally {
      await server.stop();
    }
  }, 90_000);

  it('the legacy route, /api and tRPC answer the limits with 429, the reason and Retry-After', async () => {
    let now = new Date('2026-12-08T21:00:00Z').getTime();
    // a burst of 2, then one a minute; 3 a day
    const server = await startTestServer(
      { FORECAST_DAILY_CAP: '3', FORECAST_RATE_PER_MINUTE: '1', FORECAST_BURST: '2' },
      { testDb, clock: () => new Date(now) },
    );
    try {
      const services = testServices(testDb);
      const ana = await createActor(services, 'ana_faces');
      const bob = await createActor(services, 'bob_faces');
      const post = (path: string, token: string, body: unknown) =>
        fetch(`${server.url}${path}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      const legacyBody = { username: 'x', forecast: true, forecast_result: '', days: 2, user_id: 1 };
      const legacy = () => post('/predicts/predict/naive', ana.token, legacyBody);
      expect((await legacy()).status).toBe(200);
      expect((await post('/api/predicts/create', ana.token, { model: 'naive', days: 2 })).status).toBe(200);

      const rate = await legacy();
      expect(rate.status).toBe(429);
      expect(rate.headers.get('x-error-reason')).toBe('FORECAST_RATE_LIMITED');
      expect(rate.headers.get('retry-after')).toBe('60');
      expect(await rate.json()).toEqual({
        status: 'error',
        message: 'Previsões demais: no máximo 1 por minuto (rajadas de 2); tente novamente em 60 s',
      });
      const api = await post('/api/predicts/create', ana.token, { model: 'naive', days: 2 });
      expect(api.status).toBe(429);
      expect(api.headers.get('x-error-reason')).toBe('FORECAST_RATE_LIMITED');
      expect(api.headers.get('retry-after')).toBe('60');

      now += 60_000;
      expect((await legacy()).status).toBe(200);
      now += 60_000;
      const daily = await legacy();
      expect(daily.status).toBe(429);
      expect(daily.headers.get('x-error-reason')).toBe('FORECAST_DAILY_CAP');
      expect(daily.headers.get('retry-after')).toBe(String(3 * 3600 - 120));
      expect(await daily.json()).toEqual({
        status: 'error',
        message: 'Limite diário atingido: 3 previsões por dia; mais a partir de 2026-12-09 (00:00 UTC)',
      });

      // tRPC: the reason and its params in error.data, and the header
      const [first, second, third] = await Promise.all(
        [0, 1, 2].map((i) =>
          postProcedure(
            server.url,
            'predicts.create',
            { model: 'naive', days: 2, note: `n${i}` },
            { authorization: `Bearer ${bob.token}` },
          ),
        ),
      );
      const statuses = [first, second, third].map((r) => r?.status).sort();
      expect(statuses).toEqual([200, 200, 429]);
      const refused = [first, second, third].find((r) => r?.status === 429);
      expect(reasonOf(refused?.text ?? '')).toBe('FORECAST_RATE_LIMITED');
      expect(refused?.headers.get('retry-after')).toBe('60');
    } finally {
      await server.stop();
    }
  });
});
