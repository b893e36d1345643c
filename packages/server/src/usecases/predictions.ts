import { ForecastError, type ModelInfo, type ModelRegistry } from '@ethcast/forecast';
import type { Database } from '../db/client.ts';
import { summariseForecast } from '../db/forecast-summary.ts';
import { getLatestCalibration } from '../db/queries/calibrations.ts';
import { logInsert } from '../db/queries/logs.ts';
import {
  deletePrediction,
  getPrediction,
  getPredictionWithCloses,
  type ListPredictionsArgs,
  listPredictions,
  type NewPrediction,
  type PredictionRow,
  predictionInsert,
  updatePredictionNote,
} from '../db/queries/predicts.ts';
import { getRecentCloses } from '../db/queries/prices.ts';
import type { SessionUser } from '../db/queries/sessions.ts';
import type { StoredForecastPoint } from '../db/schema.ts';
import { actions } from '../domain/actions.ts';
import { DomainError, fail, found } from '../domain/errors.ts';
import { actualsOf } from '../forecasts/accuracy.ts';
import { latestContiguous } from '../forecasts/history.ts';
import type { Services } from '../services.ts';
import { audit, changeAudited } from './audit.ts';
import { requireUser, type Viewer } from './viewer.ts';

/** Closes every model looks at, at most: drift and the long-run volatility use a year of returns. */
const LOOKBACK_DAYS = 400;

export type CreatePredictionInput = {
  symbol: string;
  model?: string | undefined;
  days: number;
  note?: string | undefined;
};

/**
 * Runs a forecast on the latest stored prices and stores it with its log row in one statement. Every
 * face (tRPC, the legacy route, /api) creates through here, so the per-user limits of
 * `services.forecastGate` (forecasts/forecast-gate.ts) hold for all of them: at most
 * `PREDICT_CONCURRENCY` creates run at once per process, users take turns for them, and each user has
 * a rate, a daily cap and a bound on creates in progress. A refusal by those limits (429 with
 * Retry-After) writes nothing: not an audit row either, or a flood would write one per request. Every
 * other failure after input validation is logged as "predict failed with model X" for the user.
 */
export async function createPrediction(
  services: Services,
  viewer: Viewer,
  input: CreatePredictionInput,
): Promise<PredictionRow> {
  const user = requireUser(viewer);
  const failLogged = failLoggedFor(services, user, input);
  return services.forecastGate.run(services.db, user, services.clock(), () =>
    create(services, user, input, failLogged),
  );
}

/** Logs "predict failed with model X" for the user, then throws the error. */
const failLoggedFor =
  (services: Services, user: SessionUser, input: CreatePredictionInput) =>
  async (error: DomainError): Promise<never> => {
    await audit(
      services.db,
      { userId: user.id, username: user.username },
      actions.predictFailed(input.model ?? 'default'),
    );
    throw error;
  };

async function create(
  services: Services,
  user: SessionUser,
  input: CreatePredictionInput,
  failLogged: (error: DomainError) => Promise<never>,
): Promise<PredictionRow> {
  let registry: ModelRegistry;
  let info: ModelInfo;
  try {
    registry = await services.models();
    info = input.model ? registry.get(input.symbol, input.model) : registry.defaultModel(input.symbol);
  } catch (error) {
    if (error instanceof ForecastError && error.code === 'UNKNOWN_MODEL') {
      return failLogged(unknownModel(error, input));
    }
    return failLogged(new DomainError('MODEL_REGISTRY_UNAVAILABLE', {}, { cause: error }));
  }
  if (input.days > info.maxHorizon) {
    return failLogged(
      new DomainError('HORIZON_TOO_LONG', { model: info.name, max: info.maxHorizon, asked: input.days }),
    );
  }

  const needed = Math.max(info.minHistory, info.window + 1, LOOKBACK_DAYS);
  const history = latestContiguous(
    await getRecentCloses(services.db, { symbol: input.symbol, limit: needed }),
  );
  if (history.length < info.minHistory) {
    return failLogged(
      new DomainError('HISTORY_TOO_SHORT', {
        model: info.name,
        needed: info.minHistory,
        symbol: input.symbol,
        stored: history.length,
        missing: info.minHistory - history.length,
      }),
    );
  }

  // the newest live calibration of this model version (recalibrate job), else the shipped one
  const live = await getLatestCalibration(services.db, {
    symbol: input.symbol,
    model: info.name,
    modelVersion: info.version,
  });
  let result: Awaited<ReturnType<ModelRegistry['forecast']>>;
  try {
    const started = performance.now();
    result = await registry.forecast({
      symbol: input.symbol,
      model: info.name,
      history,
      horizon: input.days,
      calibration: live?.calibration ?? null,
    });
    services.metrics.forecast(input.symbol, info.name, (performance.now() - started) / 1000);
  } catch (error) {
    return failLogged(new DomainError('FORECAST_FAILED', { model: info.name }, { cause: error }));
  }

  const points: StoredForecastPoint[] = result.points.map((p) => ({ ...p }));
  return insertPredictionWithAuditRow(
    services.db,
    {
      userId: user.id,
      username: user.username,
      symbol: input.symbol,
      model: result.model.name,
      modelVersion: result.model.version,
      days: input.days,
      dataThrough: result.dataThrough,
      note: input.note ?? null,
      calibrationId: live?.id ?? null,
      summary: summariseForecast(input.symbol, result.model.name, points),
      points,
    },
    actions.predictSuccess(result.model.name),
  );
}

/** The registry's UNKNOWN_MODEL as a reason: a model the symbol lacks, or a symbol with no models. */
function unknownModel(error: ForecastError, input: CreatePredictionInput): DomainError {
  const available = (error.details?.available as string[] | undefined) ?? [];
  const model = error.details?.model;
  if (typeof model !== 'string' || available.length === 0) {
    return new DomainError('NO_MODELS_FOR_SYMBOL', { symbol: input.symbol }, { cause: error });
  }
  return new DomainError(
    'UNKNOWN_MODEL',
    { model, symbol: input.symbol, available: available.join(', ') },
    { cause: error },
  );
}

/**
 * Stores a forecast and its audit-log row in one statement (the log insert is a data-modifying CTE):
 * atomic without an explicit transaction, and one round trip instead of four (begin, two inserts,
 * commit). If the log insert fails, so does the statement, and no forecast is stored.
 */
export async function insertPredictionWithAuditRow(
  db: Database,
  values: NewPrediction,
  action: string,
): Promise<PredictionRow> {
  const inserted = db.$with('inserted').as(predictionInsert(db, values));
  const logged = db
    .$with('logged')
    .as(logInsert(db, { userId: values.userId, username: values.username, action }));
  const [row] = await db.with(inserted, logged).select().from(inserted);
  if (!row) throw new Error('predict insert returned no row');
  return row;
}

/** Own forecasts, newest first; admins see everyone's or, with userId, one user's. */
export async function listForecasts(services: Services, viewer: Viewer, input: ListPredictionsArgs) {
  return listPredictions(services.db, requireUser(viewer), input);
}

/** A forecast with the actual closes stored so far for its days, and how accurate it was. */
export async function getForecast(services: Services, viewer: Viewer, input: { id: number }) {
  const { closes, scores, ...row } = found(
    await getPredictionWithCloses(services.db, requireUser(viewer), input.id),
    'forecast',
    input.id,
  );
  const points = row.points ?? [];
  // row.calibrationVersion: the live calibration the bands were made with; null = the shipped one
  return { ...row, points, ...actualsOf(points, scores, closes) };
}

/**
 * Only the note changes: a stored forecast is immutable. `changing` names fields of the forecast
 * itself a face was asked to change (the legacy PUT body): refused with FORECAST_IMMUTABLE, after a
 * forecast that is missing or not the viewer's answers NOT_FOUND.
 */
export async function updateForecastNote(
  services: Services,
  viewer: Viewer,
  input: { id: number; note: string | null; changing?: string[] },
): Promise<PredictionRow> {
  const user = requireUser(viewer);
  const target = { entity: 'forecast', id: input.id };
  return changeAudited(services, viewer, target, actions.predictUpdated(input.id), async (tx) => {
    const changing = input.changing ?? [];
    if (changing.length > 0) {
      if (!(await getPrediction(tx, user, input.id))) fail('NOT_FOUND', target);
      fail('FORECAST_IMMUTABLE', { fields: changing.join(', ') });
    }
    return updatePredictionNote(tx, user, input.id, input.note || null);
  });
}

/** Deletes an own forecast (admins: anyone's). */
export async function deleteForecast(
  services: Services,
  viewer: Viewer,
  input: { id: number },
): Promise<{ id: number }> {
  const user = requireUser(viewer);
  const target = { entity: 'forecast', id: input.id };
  return changeAudited(services, viewer, target, actions.predictDeleted(input.id), (tx) =>
    deletePrediction(tx, user, input.id),
  );
}
