import { wallClockIn } from '@ethcast/days';
import { z } from 'zod';
import type { PublicUser } from '../db/queries/users.ts';
import type { RouterOutputs } from '../router.ts';

/**
 * Rows as the legacy backend sent them: the table's snake_case columns (Supabase returned raw rows),
 * never `password`. `date` is the legacy text `dd/mm/YYYY_HHhMM` in São Paulo time (its clients parse
 * it); `created_at` beside it is the same instant in ISO 8601. The zod schemas describe the answers in
 * /openapi.json.
 */
type LogEntry = RouterOutputs['logs']['byId'];
type ListedForecast = RouterOutputs['predicts']['list']['items'][number];
type Forecast = RouterOutputs['predicts']['byId'];
type UpdatedForecast = RouterOutputs['predicts']['update'];

const saoPaulo = wallClockIn('America/Sao_Paulo');

/** `07/12/2026_21h39`: the instant in São Paulo time, as the legacy backend wrote `date`. */
export function legacyDate(value: Date | string): string {
  const parts = saoPaulo(new Date(value));
  return `${parts.day}/${parts.month}/${parts.year}_${parts.hour}h${parts.minute}`;
}

const iso = (value: Date | string) => new Date(value).toISOString();

const legacyDateSchema = z
  .string()
  .regex(/^\d{2}\/\d{2}\/\d{4}_\d{2}h\d{2}$/)
  .meta({
    description: 'São Paulo time as the legacy backend wrote it (`dd/mm/YYYY_HHhMM`); `created_at` is ISO',
    example: '07/12/2026_21h39',
  });

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
    date: legacyDateSchema,
    created_at: z.iso.datetime(),
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
    date: z.iso.date().meta({ description: 'the legacy name of `day`' }),
    predicted_value: z.number().meta({ description: 'the legacy name of `value`' }),
  })
  .meta({
    id: 'ForecastPoint',
    description:
      'One forecast day with its 80 % and 95 % range (rows taken over from the legacy backend have no range), with the legacy keys `date` and `predicted_value` beside `day` and `value`',
  });

const predictBase = {
  id: z.number().int(),
  username_predict: z.string().nullable(),
  date: legacyDateSchema,
  created_at: z.iso.datetime(),
  user_id: z.number().int().nullable(),
  forecast: z.boolean().meta({ description: 'whether the row holds forecast points (as the legacy flag)' }),
  summary: z.string().nullable().meta({ description: 'a one-line summary of the forecast' }),
  forecast_result: z.array(forecastPointSchema).nullable(),
  model: z.string().nullable(),
  symbol: z.string().nullable(),
  days: z.number().int().nullable(),
  model_version: z.string().nullable(),
  data_through: z.iso.date().nullable().meta({ description: 'the last price day the forecast used' }),
  note: z.string().nullable(),
};

export const predictRowSchema = z
  .object(predictBase)
  .meta({ id: 'LegacyPredict', description: 'A `predict` row with every forecast point' });

export const listedPredictRowSchema = z
  .object({
    ...predictBase,
    last_point: forecastPointSchema
      .nullable()
      .meta({ description: 'the last forecast day; GET /predicts/get/{id} has them all' }),
  })
  .meta({
    id: 'LegacyPredictSummary',
    description: 'A `predict` row in a list: every point, and the last one apart',
  });

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
  date: legacyDate(l.date),
  created_at: iso(l.date),
  username_log: l.usernameLog,
  action: l.action,
  user_id: l.userId,
});

type Point = NonNullable<UpdatedForecast['points']>[number];

/** A stored point with the legacy keys beside Ethcast's (`date` = `day`, `predicted_value` = `value`). */
const legacyPoint = (point: Point) => ({ ...point, date: point.day, predicted_value: point.value });

const pointsOf = (points: Point[] | null | undefined) => (points ? points.map(legacyPoint) : null);

const predictColumns = (p: ListedForecast | UpdatedForecast, points: Point[] | null | undefined) => ({
  id: p.id,
  username_predict: p.usernamePredict,
  date: legacyDate(p.date),
  created_at: iso(p.date),
  user_id: p.userId,
  forecast: (points?.length ?? 0) > 0,
  summary: p.forecast,
  forecast_result: pointsOf(points),
  model: p.model,
  symbol: p.symbol,
  days: p.days,
  model_version: p.modelVersion,
  data_through: p.dataThrough,
  note: p.note,
});

export const listedPredictRow = (p: ListedForecast) => ({
  ...predictColumns(p, p.points),
  last_point: p.lastPoint ? legacyPoint(p.lastPoint) : null,
});

export const predictRow = (p: UpdatedForecast) => predictColumns(p, p.points);

export const predictDetailRow = (p: Forecast) => ({
  ...predictColumns(p, p.points),
  actuals: p.actuals,
  accuracy: p.accuracy,
});
