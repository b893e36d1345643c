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
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  varchar,
} from 'drizzle-orm/pg-core';

// Supabase-compatible: plain `public` schema, bigint identity keys, timestamptz, jsonb, and the legacy
// table and column names (users, logs, predict; username_log, username_predict, forecast_result).

const id = () => bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity();
const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const users = pgTable(
  'users',
  {
    id: id(),
    username: varchar('username', { length: 100 }).notNull().unique(),
    password: text('password').notNull(),
    role: text('role', { enum: ['user', 'admin'] })
      .notNull()
      .default('user'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('users_username_lower_key').on(sql`lower(${t.username})`),
    check('users_role_check', sql`${t.role} in ('user', 'admin')`),
  ],
);

export type Role = (typeof users.$inferSelect)['role'];

export const sessions = pgTable(
  'sessions',
  {
    id: id(),
    userId: bigint('user_id', { mode: 'number' })
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** sha256 of the bearer token; the token itself is never stored */
    tokenHash: text('token_hash').notNull().unique(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    expiresAt: timestamptz('expires_at').notNull(),
    revokedAt: timestamptz('revoked_at'),
  },
  (t) => [index('sessions_user_id_idx').on(t.userId)],
);

/**
 * Login attempts that count against the limits (domain/login-policy.ts): one row per attempt, `pending`
 * from the moment its slot is reserved until the password has been checked, then `failed`; a success
 * deletes its row. Pending rows count as failures, so concurrent attempts cannot overshoot a limit.
 * The source of truth across every server process on the database.
 */
export const loginAttempts = pgTable(
  'login_attempts',
  {
    id: id(),
    /** lower-cased username as typed (unknown usernames are limited too) */
    usernameKey: varchar('username_key', { length: 100 }).notNull(),
    /** the client address as the server sees it (see TRUST_PROXY); '' when there is none */
    clientIp: varchar('client_ip', { length: 64 }).notNull(),
    attemptedAt: timestamptz('attempted_at').notNull(),
    outcome: text('outcome', { enum: ['pending', 'failed'] }).notNull(),
  },
  (t) => [
    index('login_attempts_username_time_idx').on(t.usernameKey, t.attemptedAt),
    index('login_attempts_client_time_idx').on(t.clientIp, t.attemptedAt),
    index('login_attempts_time_idx').on(t.attemptedAt),
    check('login_attempts_outcome_check', sql`${t.outcome} in ('pending', 'failed')`),
  ],
);

/** Client addresses a user has signed in from: they keep signing in while others hit the account's ceiling. */
export const knownClients = pgTable(
  'known_clients',
  {
    userId: bigint('user_id', { mode: 'number' })
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    clientIp: varchar('client_ip', { length: 64 }).notNull(),
    lastSuccessAt: timestamptz('last_success_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.clientIp] })],
);

/** Registrations per client address, for the per-address limit. */
export const registrationAttempts = pgTable(
  'registration_attempts',
  {
    id: id(),
    clientIp: varchar('client_ip', { length: 64 }).notNull(),
    attemptedAt: timestamptz('attempted_at').notNull(),
  },
  (t) => [index('registration_attempts_client_time_idx').on(t.clientIp, t.attemptedAt)],
);

export const logs = pgTable(
  'logs',
  {
    id: id(),
    date: timestamptz('date').notNull().defaultNow(),
    usernameLog: varchar('username_log', { length: 100 }),
    action: varchar('action', { length: 100 }).notNull(),
    userId: bigint('user_id', { mode: 'number' }).references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [index('logs_user_id_id_idx').on(t.userId, t.id), index('logs_date_idx').on(t.date)],
);

export const predict = pgTable(
  'predict',
  {
    id: id(),
    date: timestamptz('date').notNull().defaultNow(),
    usernamePredict: varchar('username_predict', { length: 100 }),
    userId: bigint('user_id', { mode: 'number' }).references(() => users.id, { onDelete: 'cascade' }),
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
  userId: bigint('user_id', { mode: 'number' })
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
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
/** One reason a job run failed: a reason code of domain/errors.ts and its params, with the symbol it concerns. */
export type JobRunFailure = {
  symbol?: string;
  reason: string;
  params: Record<string, string | number | boolean | null>;
};

export type StoredForecastPoint = Pick<ForecastPoint, 'day' | 'value'> &
  Partial<Pick<ForecastPoint, 'lower80' | 'upper80' | 'lower95' | 'upper95'>>;

/**
 * Daily OHLCV candles, one row per symbol and UTC calendar day. Prices are double precision: every
 * source publishes them as decimal floats that JavaScript parses to doubles, and float8 stores and
 * returns exactly that double (PostgreSQL 12+ prints the shortest exact form), so values round-trip
 * bit for bit; numeric would cost a string conversion per value on every import and read.
 */
export const prices = pgTable(
  'prices',
  {
    symbol: varchar('symbol', { length: 21 }).notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    open: doublePrecision('open').notNull(),
    high: doublePrecision('high').notNull(),
    low: doublePrecision('low').notNull(),
    close: doublePrecision('close').notNull(),
    /** null when the source has no volume column */
    volume: doublePrecision('volume'),
    /** where the current values came from, e.g. `file:eth-usd-daily.csv` or `sync:coinbase` */
    source: text('source').notNull(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.symbol, t.day] }),
    check('prices_symbol_check', sql`${t.symbol} ~ '^[A-Z0-9]{2,10}-[A-Z]{2,10}$'`),
    check('prices_positive_check', sql`${t.open} > 0 and ${t.high} > 0 and ${t.low} > 0 and ${t.close} > 0`),
    check('prices_high_low_check', sql`${t.high} >= ${t.low}`),
    check('prices_volume_check', sql`${t.volume} >= 0`),
  ],
);

/**
 * One row per symbol in `prices`: its first and last day and row count, kept by triggers on `prices`
 * (drizzle/0008_price_symbols_triggers.sql) in the transaction of every write, whatever the path (import
 * COPY or upsert, sync, bootstrap, a delete by hand). `prices.symbols` reads this instead of aggregating
 * the whole prices table on every call.
 */
export const priceSymbols = pgTable('price_symbols', {
  symbol: varchar('symbol', { length: 21 }).primaryKey(),
  firstDay: date('first_day', { mode: 'string' }).notNull(),
  lastDay: date('last_day', { mode: 'string' }).notNull(),
  rows: integer('rows').notNull(),
});

/**
 * Runs of the scheduled jobs (jobs/): one row per scheduled occurrence (unique per job and occurrence, so
 * replicas that all see the same occurrence record it once) or per run asked for by hand. pg-boss holds
 * the queue, retries and expiry; this table is what operators and tests read.
 */
export const jobRuns = pgTable(
  'job_runs',
  {
    /** also the pg-boss job id */
    id: varchar('id', { length: 36 }).primaryKey(),
    job: varchar('job', { length: 50 }).notNull(),
    /** the cron occurrence this run is for; null for runs asked for by hand */
    occurrence: timestamptz('occurrence'),
    trigger: text('trigger', { enum: ['schedule', 'manual'] }).notNull(),
    state: text('state', { enum: ['queued', 'running', 'succeeded', 'failed'] })
      .notNull()
      .default('queued'),
    attempts: integer('attempts').notNull().default(0),
    queuedAt: timestamptz('queued_at').notNull().defaultNow(),
    startedAt: timestamptz('started_at'),
    finishedAt: timestamptz('finished_at'),
    durationMs: integer('duration_ms'),
    /** a short summary of what the run did (job-specific) */
    result: jsonb('result').$type<Record<string, unknown>>(),
    error: text('error'),
    /** why it failed, for screens to translate: reason codes and params (one per failing symbol for sync-prices) */
    errorReasons: jsonb('error_reasons').$type<JobRunFailure[]>(),
    /** who asked for a manual run */
    requestedBy: varchar('requested_by', { length: 100 }),
  },
  (t) => [
    uniqueIndex('job_runs_job_occurrence_key').on(t.job, t.occurrence),
    index('job_runs_job_queued_idx').on(t.job, t.queuedAt),
    check('job_runs_trigger_check', sql`${t.trigger} in ('schedule', 'manual')`),
    check('job_runs_state_check', sql`${t.state} in ('queued', 'running', 'succeeded', 'failed')`),
  ],
);

/**
 * Each forecast point once its day has an actual close, written once by the score-forecasts job. The
 * persistence error is that of "the day's close = the origin's close" (the origin is data_through).
 */
export const forecastScores = pgTable(
  'forecast_scores',
  {
    id: id(),
    predictId: bigint('predict_id', { mode: 'number' })
      .notNull()
      .references(() => predict.id, { onDelete: 'cascade' }),
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
