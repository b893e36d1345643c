import { z } from 'zod';
import { withCode } from '../domain/input-errors.ts';
import { symbolSchema } from '../prices/symbol.ts';
import { idSchema, textSchema } from '../validation.ts';
import { pageOf } from './users.ts';

/** The input and output schemas of the predicts.* procedures (the legacy routes take their fields from here). */

export const modelNameSchema = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(50, 'must be at most 50 characters')
  .refine((name) => /^[a-z0-9_-]+$/.test(name), withCode('MODEL_NAME_FORMAT'));

/** No model forecasts further; each model's own limit is checked when it runs (HORIZON_TOO_LONG). */
const MAX_FORECAST_DAYS = 365;
const noteSchema = textSchema({ max: 500, multiline: true });

export const createPredictionInput = z.strictObject({
  model: modelNameSchema.optional(),
  days: z
    .number({ error: (issue) => (issue.code === 'invalid_type' ? 'must be a number' : undefined) })
    .int('must be a whole number of days')
    .min(1, 'must be at least 1')
    .max(MAX_FORECAST_DAYS, `must be at most ${MAX_FORECAST_DAYS}`),
  symbol: symbolSchema.default('ETH-USD'),
  note: noteSchema.optional(),
});

export const updateNoteInput = z.strictObject({ id: idSchema, note: noteSchema.nullable() });

/** A forecast day; the bands are absent on forecasts taken over from the legacy backend. */
export const forecastPointOutput = z
  .object({
    day: z.string().meta({ example: '2026-04-01' }),
    value: z.number(),
    lower80: z.number().optional(),
    upper80: z.number().optional(),
    lower95: z.number().optional(),
    upper95: z.number().optional(),
  })
  .meta({ id: 'PredictionPoint' });

/** The stored forecast's columns (rows taken over from the legacy backend have nulls). */
const predictionFields = {
  id: z.number().int(),
  date: z.date(),
  userId: z.number().int().nullable(),
  usernamePredict: z.string().nullable(),
  symbol: z.string().nullable(),
  model: z.string().nullable(),
  modelVersion: z.string().nullable(),
  days: z.number().int().nullable(),
  dataThrough: z.string().nullable().meta({ description: 'the last price day the forecast used' }),
  note: z.string().nullable(),
  forecast: z.string().nullable().meta({ description: 'a one-line summary' }),
  calibrationId: z
    .number()
    .int()
    .nullable()
    .meta({ description: 'the live calibration of the bands; null = the shipped one' }),
};

export const predictionOutput = z
  .object({ ...predictionFields, points: z.array(forecastPointOutput).nullable() })
  .meta({ id: 'Prediction' });

/** A listed forecast: its last point only, unless `points: true` asked for every one. */
export const predictionPageOutput = pageOf(
  z.object({
    ...predictionFields,
    lastPoint: forecastPointOutput.nullable(),
    points: z.array(forecastPointOutput).nullable().optional(),
  }),
);

const actualOutput = z.object({
  day: z.string(),
  actual: z.number(),
  value: z.number(),
  error: z.number().meta({ description: 'actual − forecast' }),
  inside80: z.boolean().nullable(),
  inside95: z.boolean().nullable(),
  scored: z.boolean().meta({ description: 'read from the stored scores (false: computed on this read)' }),
});

/** A forecast with its points, the actual closes so far and how accurate it was. */
export const predictionDetailOutput = z.object({
  ...predictionFields,
  points: z.array(forecastPointOutput),
  calibrationVersion: z.number().int().nullable(),
  actuals: z.array(actualOutput),
  accuracy: z
    .object({
      n: z.number().int(),
      mae: z.number(),
      mape: z.number().meta({ description: 'percent' }),
      coverage80: z.number().nullable(),
      coverage95: z.number().nullable(),
    })
    .nullable(),
});

export const deletedPredictionOutput = z.object({ id: z.number().int() });
