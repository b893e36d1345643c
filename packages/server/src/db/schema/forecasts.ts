import type { CalibrationJson, ForecastPoint } from '@ethcast/forecast';
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  uniqueIndex,
  varchar,
} from 'drizzle-orm/pg-core';
import { users } from './accounts.ts';
import { cascadingRef, id, timestamptz } from './columns.ts';

// Stored forecasts, the per-user forecast quota, the scores of forecasts and the models' calibrations.

export const predict = pgTable(
  'predict',
  {
    id: id(),
    date: timestamptz('date').notNull().defaultNow(),
    usernamePredict: varchar('username_predict', { length: 100 }),
    userId: cascadingRef('user_id', () => users.id),
    /** a one-line human summary (the legacy column; the numbers are in forecast_result) */
    forecast: text('forecast'),
    /** the points: [{ day, value, lower80, upper80, lower95, upper95 }] — immutable once stored */
    forecastResult: jsonb('forecast_result').$type<StoredForecastPoint[]>(),
    /**
     * The last point, kept by PostgreSQL itself (a stored generated column): forecast lists show only
     * this, and reading it from here skips decompressing the whole forecast_result of every listed row.
     */
    lastPoint: jsonb('last_point').$type<StoredForecastPoint>().generatedAlwaysAs(sql`forecast_result -> -1`),
    model: varchar('model', { length: 100 }),
    // Nullable: rows migrated from the legacy backend have none of these.
    symbol: varchar('symbol', { length: 21 }),
    days: integer('days'),
    modelVersion: varchar('model_version', { length: 100 }),
    /** the last price day the forecast used */
    dataThrough: date('data_through', { mode: 'string' }),
    note: varchar('note', { length: 500 }),
    /**
     * The live interval calibration the bands were made with (model_calibrations.id); null = the shipped
     * metadata's calibration (and every forecast stored before live recalibration existed).
     */
    calibrationId: bigint('calibration_id', { mode: 'number' }).references(() => modelCalibrations.id, {
      onDelete: 'restrict',
    }),
  },
  (t) => [
    index('predict_user_id_id_idx').on(t.userId, t.id),
    check('predict_days_check', sql`${t.days} between 1 and 365`),
  ],
);

/**
 * Per-user forecast quota (forecasts/forecast-gate.ts), one row per user who has created a forecast,
 * updated by one atomic statement per create so it holds across every server process: a token bucket
 * (`tokens` as of `refilled_at`), the forecasts stored on `day` (UTC), and the expiry times of the
 * user's creates in progress (`leases`; a create whose process died stops counting when its lease ends).
 */
export const forecastQuotas = pgTable('forecast_quotas', {
  userId: cascadingRef('user_id', () => users.id).primaryKey(),
  tokens: doublePrecision('tokens').notNull(),
  refilledAt: timestamptz('refilled_at').notNull(),
  day: date('day', { mode: 'string' }).notNull(),
  stored: integer('stored').notNull(),
  leases: timestamptz('leases').array().notNull().default(sql`'{}'`),
});

/**
 * A forecast point as stored in `predict.forecast_result`: the forecast package's own type, except that
 * the bands may be absent (forecasts taken over from the legacy backend had none, and none are invented).
 */
export type StoredForecastPoint = Pick<ForecastPoint, 'day' | 'value'> &
  Partial<Pick<ForecastPoint, 'lower80' | 'upper80' | 'lower95' | 'upper95'>>;

/**
 * Each forecast point once its day has an actual close, written once by the score-forecasts job. The
 * persistence error is that of "the day's close = the origin's close" (the origin is data_through).
 */
export const forecastScores = pgTable(
  'forecast_scores',
  {
    id: id(),
    predictId: cascadingRef('predict_id', () => predict.id).notNull(),
    /** days after the origin (1 = the first forecast day) */
    horizon: integer('horizon').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    actual: doublePrecision('actual').notNull(),
    value: doublePrecision('value').notNull(),
    /** actual − forecast */
    error: doublePrecision('error').notNull(),
    /** actual − the origin's close */
    persistenceError: doublePrecision('persistence_error').notNull(),
    inside80: boolean('inside80').notNull(),
    inside95: boolean('inside95').notNull(),
    width80: doublePrecision('width80').notNull(),
    width95: doublePrecision('width95').notNull(),
    scoredAt: timestamptz('scored_at').notNull().defaultNow(),
    /**
     * The calibration version this outcome was folded into by recalibrate (null = not yet). Outcomes of
     * the same origin and horizon from duplicate forecasts are folded once.
     */
    calibrationId: bigint('calibration_id', { mode: 'number' }).references(() => modelCalibrations.id, {
      onDelete: 'set null',
    }),
  },
  (t) => [
    uniqueIndex('forecast_scores_predict_horizon_key').on(t.predictId, t.horizon),
    check('forecast_scores_horizon_check', sql`${t.horizon} between 1 and 365`),
  ],
);

/**
 * Versions of each model's live interval calibration (online ACI on the served forecasts' outcomes),
 * newest = highest version per symbol and model. Version 1 starts from the shipped metadata.
 */
export const modelCalibrations = pgTable(
  'model_calibrations',
  {
    id: id(),
    symbol: varchar('symbol', { length: 21 }).notNull(),
    model: varchar('model', { length: 100 }).notNull(),
    /** the shipped model version this calibration moves forward from */
    modelVersion: varchar('model_version', { length: 100 }).notNull(),
    version: integer('version').notNull(),
    calibration: jsonb('calibration').$type<CalibrationJson>().notNull(),
    /** outcomes folded in by this version, and in total since the shipped calibration */
    outcomes: integer('outcomes').notNull(),
    totalOutcomes: integer('total_outcomes').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('model_calibrations_version_key').on(t.symbol, t.model, t.modelVersion, t.version)],
);
