import { z } from 'zod';
import { createPredictionInput, modelNameSchema, updateNoteInput } from '../schemas/predicts.ts';
import type { Services } from '../services.ts';
import {
  createPrediction,
  deleteForecast,
  getForecast,
  listForecasts,
  updateForecastNote,
} from '../usecases/predictions.ts';
import type { Viewer } from '../usecases/viewer.ts';
import { idSchema } from '../validation.ts';
import {
  deleteRoute,
  idParam,
  type LegacyRoute,
  listRoute,
  messageSchema as message,
  oneRowOf as oneRow,
  say,
} from './route.ts';
import {
  listedPredictRow,
  listedPredictRowSchema,
  predictDetailRow,
  predictDetailRowSchema,
  predictRow,
  predictRowSchema,
} from './rows.ts';
import { perform } from './use-case.ts';

const text = {
  list: { pt: 'Lista de predicts na base', en: 'Forecasts' },
  got: { pt: 'Predict requisitada', en: 'Forecast' },
  updated: { pt: 'Predict atualizada com sucesso', en: 'Forecast updated' },
  deleted: { pt: 'Predict deletada com sucesso', en: 'Forecast deleted' },
};

const idPath = z.object({ id: idSchema });

/** The legacy body's own rule: `forecast: false` stored a row without running a model; Ethcast always runs it. */
const legacyPredictBody = z.object({
  forecast: z.literal(true, { message: 'must be true (the model always runs)' }).optional(),
});

/** Fields of the legacy PUT body that would change the forecast itself. */
const FORECAST_FIELDS = ['forecast', 'forecast_result', 'model', 'days', 'symbol'] as const;

const refuseChange =
  (changing: string[]) =>
  (services: Services, viewer: Viewer, input: { id: number }): Promise<unknown> =>
    updateForecastNote(services, viewer, { id: input.id, note: null, changing });

export const predictRoutes: LegacyRoute[] = [
  {
    method: 'POST',
    path: '/predicts/predict/{modelo}',
    tag: 'predicts',
    summary: 'Run a forecast with a model and store it',
    description:
      'The forecast is made for the signed-in user: `username` and `user_id` in the body are accepted for compatibility and ignored (the session decides who you are). `forecast_result` is ignored too (the server computes it). `symbol` (default ETH-USD) and `note` are optional extensions.',
    procedures: ['predicts.create'],
    access: 'signed-in',
    params: z.object({ modelo: modelNameSchema.meta({ example: 'naive' }) }),
    body: z.object({
      username: z.string().optional().meta({ description: 'ignored: the session decides', example: 'joao' }),
      forecast: z.boolean().optional().meta({ description: 'must be true when sent', example: true }),
      forecast_result: z.unknown().optional().meta({ description: 'ignored: the server computes it' }),
      days: createPredictionInput.shape.days.meta({ example: 7 }),
      user_id: z.number().int().optional().meta({ description: 'ignored: the session decides' }),
      symbol: createPredictionInput.shape.symbol,
      note: createPredictionInput.shape.note,
    }),
    status: 200,
    answer: z.object({ status: z.literal('success'), data: oneRow(predictRowSchema) }),
    errors: 'status',
    entity: 'predict',
    fieldNames: { model: 'modelo' },
    async handle(input) {
      const { params, body } = input;
      legacyPredictBody.parse({ forecast: body.forecast });
      const row = await perform(input, 'predicts.create', createPrediction, {
        model: params.modelo ?? '',
        days: body.days,
        ...(body.symbol !== undefined ? { symbol: body.symbol } : {}),
        ...(body.note !== undefined ? { note: body.note } : {}),
      });
      return { status: 'success', data: [predictRow(row)] };
    },
  },
  listRoute({
    path: '/predicts/list/',
    tag: 'predicts',
    summary: 'Your forecasts, newest first (admins: everyone’s)',
    description:
      'Each row carries every forecast point (`forecast_result`) and its last one apart (`last_point`); `GET /predicts/get/{id}` adds the actual closes so far.',
    procedure: 'predicts.list',
    access: 'signed-in',
    entity: 'predict',
    key: 'predict',
    row: listedPredictRowSchema,
    toRow: listedPredictRow,
    text: text.list,
    page: (input, args) => perform(input, 'predicts.list', listForecasts, { ...args, points: true }),
  }),
  {
    method: 'GET',
    path: '/predicts/get/{id}',
    tag: 'predicts',
    summary: 'One forecast with every point, the actual closes so far and its accuracy',
    description:
      "The row is under `user` (sic), as the legacy backend answered, and the same list under `predict`. Another user's forecast answers 404, like a missing id.",
    procedures: ['predicts.byId'],
    access: 'signed-in',
    params: idPath,
    status: 200,
    answer: z.object({
      message,
      user: oneRow(predictDetailRowSchema),
      predict: oneRow(predictDetailRowSchema),
    }),
    errors: 'error',
    entity: 'predict',
    async handle(input) {
      const { params, language } = input;
      const row = await perform(input, 'predicts.byId', getForecast, { id: idParam(params.id) });
      const rows = [predictDetailRow(row)];
      return { message: say(language, text.got), user: rows, predict: rows };
    },
  },
  {
    method: 'PUT',
    path: '/predicts/update/{id}',
    tag: 'predicts',
    summary: 'Change the note of a forecast',
    description:
      'A stored forecast is immutable: a body that sends `forecast`, `forecast_result`, `model`, `days` or `symbol` is refused with 409 (`FORECAST_IMMUTABLE`). `username` is ignored.',
    procedures: ['predicts.update'],
    access: 'signed-in',
    reasons: ['FORECAST_IMMUTABLE'],
    params: idPath,
    body: z.object({ note: updateNoteInput.shape.note.meta({ example: 'alta?' }) }),
    status: 200,
    answer: z.object({ message, predict: oneRow(predictRowSchema) }),
    errors: 'error',
    entity: 'predict',
    async handle(input) {
      const { params, body, language } = input;
      const changing = FORECAST_FIELDS.filter((field) => body[field] !== undefined);
      if (changing.length > 0) {
        // refused by the use case, after a forecast that is missing or not yours answers 404
        await perform(input, 'predicts.byId', refuseChange(changing), { id: idParam(params.id) });
      }
      const row = await perform(input, 'predicts.update', updateForecastNote, {
        id: idParam(params.id),
        note: body.note,
      });
      return { message: say(language, text.updated), predict: [predictRow(row)] };
    },
  },
  deleteRoute({
    path: '/predicts/delete/{id}',
    tag: 'predicts',
    summary: 'Delete a forecast',
    procedure: 'predicts.delete',
    access: 'signed-in',
    entity: 'predict',
    params: idPath,
    text: text.deleted,
    remove: (input, id) => perform(input, 'predicts.delete', deleteForecast, { id }),
  }),
];
