import { z } from 'zod';
import type { PublicUser } from '../db/queries/users.ts';
import type { RouterOutputs } from '../router.ts';

/**
 * Rows as the legacy backend sent them: the table's snake_case columns (Supabase returned raw rows),
 * never `password`. Dates are ISO 8601 (the columns are timestamptz now, not `dd/mm/YYYY_HHhMM` text).
 * The zod schemas describe the answers in /openapi.json.
 */
type LogEntry = RouterOutputs['logs']['byId'];
type ListedForecast = RouterOutputs['predicts']['list']['items'][number];
type Forecast = RouterOutputs['predicts']['byId'];
type UpdatedForecast = RouterOutputs['predicts']['update'];

export const userRowSchema = z
  .object({
    id: z.number().int(),
    username: z.string(),
    role: z.enum(['user', 'admin']),
    created_at: z.iso.datetime(),
  })
  .meta({ id: 'LegacyUser', description: 'A `users` row without its password hash' });

export const logRowSchema = z
  .object({
    id: z.number().int(),
    date: z.iso.datetime(),
    username_log: z.string().nullable(),
    action: z.string(),
    user_id: z.number().int().nullable(),
  })
  .meta({ id: 'LegacyLog', description: 'A `logs` row' });

export const forecastPointSchema = z
  .object({
    day: z.iso.date(),
    value: z.number(),
    lower80: z.number().optional(),
    upper80: z.number().optional(),
    lower95: z.number().optional(),
    upper95: z.number().optional(),
  })
  .meta({
    id: 'ForecastPoint',
    description:
      'One forecast day with its 80 % and 95 % range (rows taken over from the legacy backend have no range)',
  });

const predictBase = {
  id: z.number().int(),
  username_predict: z.string().nullable(),
  date: z.iso.datetime(),
  user_id: z.number().int().nullable(),
  forecast: z.string().nullable().meta({ description: 'a one-line summary of the forecast' }),
  model: z.string().nullable(),
  symbol: z.string().nullable(),
  days: z.number().int().nullable(),
  model_version: z.string().nullable(),
  data_through: z.iso.date().nullable().meta({ description: 'the last price day the forecast used' }),
  note: z.string().nullable(),
};

export const predictRowSchema = z
  .object({ ...predictBase, forecast_result: z.array(forecastPointSchema).nullable() })
  .meta({ id: 'LegacyPredict', description: 'A `predict` row with every forecast point' });

export const listedPredictRowSchema = z
  .object({
    ...predictBase,
    last_point: forecastPointSchema
      .nullable()
      .meta({ description: 'the last forecast day; GET /predicts/get/{id} has them all' }),
  })
  .meta({ id: 'LegacyPredictSummary', description: 'A `predict` row in a list: its last point only' });

export const predictDetailRowSchema = predictRowSchema
  .extend({
    actuals: z.array(
      z.object({
        day: z.iso.date(),
        actual: z.number(),
        value: z.number(),
        error: z.number(),
        inside80: z.boolean(),
        inside95: z.boolean(),
      }),
    ),
    accuracy: z
      .object({
        n: z.number(),
        mae: z.number(),
        mape: z.number(),
        coverage80: z.number(),
        coverage95: z.number(),
      })
      .nullable(),
  })
  .meta({
    id: 'LegacyPredictDetail',
    description: 'A `predict` row with the actual closes stored so far and its accuracy',
  });

export const userRow = (u: PublicUser) => ({
  id: u.id,
  username: u.username,
  role: u.role,
  created_at: u.createdAt,
});

export const logRow = (l: LogEntry) => ({
  id: l.id,
  date: l.date,
  username_log: l.usernameLog,
  action: l.action,
  user_id: l.userId,
});

const predictColumns = (p: ListedForecast | UpdatedForecast) => ({
  id: p.id,
  username_predict: p.usernamePredict,
  date: p.date,
  user_id: p.userId,
  forecast: p.forecast,
  model: p.model,
  symbol: p.symbol,
  days: p.days,
  model_version: p.modelVersion,
  data_through: p.dataThrough,
  note: p.note,
});

export const listedPredictRow = (p: ListedForecast) => ({
  ...predictColumns(p),
  last_point: p.lastPoint ?? null,
});

export const predictRow = (p: UpdatedForecast) => ({
  ...predictColumns(p),
  forecast_result: p.points ?? null,
});

export const predictDetailRow = (p: Forecast) => ({
  ...predictColumns(p),
  forecast_result: p.points,
  actuals: p.actuals,
  accuracy: p.accuracy,
});
