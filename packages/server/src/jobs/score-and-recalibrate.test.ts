import { dayFromNumber, dayNumber } from '@ethcast/days';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { upsertPrices } from '../db/queries/price-upsert.ts';
import type { PriceRow } from '../db/queries/prices.ts';
import { forecastScores, modelCalibrations, prices } from '../db/schema.ts';
import type { Services } from '../services.ts';
import { type Actor, anonymousCaller, createActor, testServices } from '../test/actors.ts';
import { createTestDb, type TestDb, testEngine } from '../test/db.ts';
import { generateCandles } from '../test/price-csv.ts';
import type { JobDefinition } from './definition.ts';
import { recalibrateJob } from './recalibrate-job.ts';
import { scoreForecastsJob } from './score-forecasts-job.ts';

const START = '2024-01-01';
const calm = generateCandles('ETH-USD', START, 560, 5);
const dayAt = (offset: number) => dayFromNumber((dayNumber(START) ?? 0) + offset);
const bar = (day: string, close: number): PriceRow => ({
  symbol: 'ETH-USD',
  day,
  open: close,
  high: close,
  low: close,
  close,
  volume: 1,
});
const width80 = (points: { lower80?: number; upper80?: number }[]) =>
  points.map((p) => {
    if (p.lower80 === undefined || p.upper80 === undefined) throw new Error('a new forecast has bands');
    return p.upper80 - p.lower80;
  });

describe(`score-forecasts and recalibrate (${testEngine})`, () => {
  let testDb: TestDb;
  let services: Services;
  let user: Actor;
  const run = (job: JobDefinition) =>
    job.run({ services, clock: () => new Date(), runId: 'test', attempt: 1 });
  const forecast = async (days = 7) => {
    const row = await user.caller.predicts.create({ model: 'naive', days, symbol: 'ETH-USD' });
    return { ...row, points: row.points ?? [] };
  };

  beforeAll(async () => {
    testDb = await createTestDb();
    services = testServices(testDb);
  });
  beforeEach(async () => {
    await testDb.reset();
    user = await createActor(services, 'ana');
  });
  afterAll(() => testDb?.close());

  it('scores each forecast once, byId reads the stored scores, and trackRecord reports them', async () => {
    await upsertPrices(testDb.db, calm.slice(0, 500), 'test'); // through day 499
    const made = await forecast(7);
    expect(await run(scoreForecastsJob)).toEqual({ points: 0, forecasts: 0 });
    await upsertPrices(testDb.db, calm.slice(500, 504), 'test'); // 4 of its 7 days close
    // another symbol's closes on the same days must not be taken for this forecast's
    await upsertPrices(
      testDb.db,
      calm
        .slice(500, 506)
        .map((r) => ({ ...r, symbol: 'BTC-USD', close: r.close * 100, high: r.high * 100 })),
      'test',
    );
    expect(await run(scoreForecastsJob)).toEqual({ points: 4, forecasts: 1 });
    expect(await run(scoreForecastsJob)).toEqual({ points: 0, forecasts: 0 });

    const origin = calm[499]?.close as number;
    const stored = await testDb.db.select().from(forecastScores).where(eq(forecastScores.predictId, made.id));
    expect(stored.map((s) => s.horizon).sort()).toEqual([1, 2, 3, 4]);
    for (const s of stored) {
      const actual = calm[499 + s.horizon]?.close as number;
      const point = made.points[s.horizon - 1];
      expect(s.actual).toBe(actual);
      expect(s.error).toBeCloseTo(actual - (point?.value as number), 9);
      expect(s.persistenceError).toBeCloseTo(actual - origin, 9);
      expect(s.inside80).toBe(actual >= (point?.lower80 as number) && actual <= (point?.upper80 as number));
    }

    // a close corrected afterwards does not rewrite the score: byId shows what was stored
    await upsertPrices(testDb.db, [bar(dayAt(500), 1)], 'correction');
    const shown = await user.caller.predicts.byId({ id: made.id });
    expect(shown.actuals.slice(0, 4).every((a) => a.scored)).toBe(true);
    expect(shown.actuals.map((a) => a.actual)).toEqual(calm.slice(500, 504).map((r) => r.close));
    expect(shown.accuracy?.n).toBe(4);

    const record = await (await anonymousCaller(services)).models.trackRecord({ symbol: 'ETH-USD' });
    const naive = record.models.find((m) => m.model === 'naive');
    expect(naive?.overall).toMatchObject({ n: 4, forecasts: 1, origins: 1, enough: false });
    expect(naive?.horizons.map((h) => h.horizon)).toEqual([1, 2, 3, 4]);
    expect(naive?.verdict).toMatch(/too few to conclude anything/);
    expect(naive?.overall.maeRatio).toBeCloseTo(
      (naive?.overall.mae ?? 0) / (naive?.overall.persistenceMae ?? 1),
      9,
    );
    const cov = naive?.overall.coverage80;
    expect(cov && cov.low <= cov.observed && cov.observed <= cov.high).toBe(true);
  });

  it('widens the bands after a run of misses, narrows them after a run of hits; new forecasts carry the version', async () => {
    const registry = await services.models();
    const shippedOn = async (
      upTo: number,
      calibration: Parameters<typeof registry.forecast>[0]['calibration'],
    ) => {
      const history = (
        await testDb.db.select({ day: prices.day, close: prices.close }).from(prices).orderBy(prices.day)
      ).filter((p) => p.day <= dayAt(upTo));
      return (
        await registry.forecast({ symbol: 'ETH-USD', model: 'naive', history, horizon: 7, calibration })
      ).points;
    };

    // ten forecasts on calm days 499..508, then those days' futures turn out wild: every band misses
    await upsertPrices(testDb.db, calm.slice(0, 500), 'test');
    const missed = [];
    for (let i = 0; i < 10; i++) {
      missed.push(await forecast(7));
      await upsertPrices(testDb.db, [calm[500 + i] as PriceRow], 'test');
    }
    const base = calm[499]?.close as number;
    const wild = Array.from({ length: 17 }, (_, k) => bar(dayAt(500 + k), base * (k % 2 ? 2.5 : 0.3)));
    await upsertPrices(testDb.db, wild, 'wild');
    expect((await run(scoreForecastsJob)).points).toBe(70);
    const first = (await run(recalibrateJob)) as {
      versions: { model: string; version: number; outcomes: number }[];
    };
    expect(first.versions).toEqual([{ symbol: 'ETH-USD', model: 'naive', version: 1, outcomes: 70 }]);
    expect(await run(recalibrateJob)).toEqual({ versions: [] }); // nothing new to fold in

    // back to the calm history: a forecast now uses version 1 and is wider than the shipped bands
    await upsertPrices(testDb.db, calm.slice(500, 517), 'test');
    const wider = await forecast(7);
    const shipped = await shippedOn(516, null);
    expect(wider.points.map((p) => p.value)).toEqual(shipped.map((p) => p.value));
    for (const [h, w] of width80(wider.points).entries())
      expect(w).toBeGreaterThan(width80(shipped)[h] as number);
    const v1 = await testDb.db.select().from(modelCalibrations);
    expect((await user.caller.predicts.byId({ id: wider.id })).calibrationVersion).toBe(1);
    expect((await user.caller.predicts.byId({ id: missed[0]?.id as number })).calibrationVersion).toBeNull();

    // then ten forecasts whose days stay flat at their value: every band holds
    const flat = calm[516]?.close as number;
    for (let i = 0; i < 10; i++) {
      await upsertPrices(testDb.db, [bar(dayAt(517 + i), flat)], 'flat');
      await forecast(7);
    }
    await upsertPrices(
      testDb.db,
      Array.from({ length: 20 }, (_, k) => bar(dayAt(527 + k), flat)),
      'flat',
    );
    const scored = await run(scoreForecastsJob);
    expect(scored.points).toBeGreaterThanOrEqual(70);
    const second = (await run(recalibrateJob)) as { versions: { version: number }[] };
    expect(second.versions.map((v) => v.version)).toEqual([2]);
    const narrower = await forecast(7);
    const withV1 = await shippedOn(546, v1[0]?.calibration ?? null);
    for (const [h, w] of width80(narrower.points).entries())
      expect(w).toBeLessThan(width80(withV1)[h] as number);
    expect((await user.caller.predicts.byId({ id: narrower.id })).calibrationVersion).toBe(2);
    expect((await user.caller.predicts.byId({ id: wider.id })).calibrationVersion).toBe(1);
  });
});
