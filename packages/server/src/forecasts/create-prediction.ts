import { ForecastError, type ModelInfo, type ModelRegistry } from '@ethcast/forecast';
import { TRPCError } from '@trpc/server';
import { actions } from '../auth/actions.ts';
import type { Services, SessionUser } from '../context.ts';
import { writeLog } from '../db/queries/logs.ts';
import { insertPredictionWithLog, type PredictionRow } from '../db/queries/predicts.ts';
import { getRecentCloses } from '../db/queries/prices.ts';
import type { StoredForecastPoint } from '../db/schema.ts';
import { QueueFullError } from './concurrency-limit.ts';
import { latestContiguous } from './history.ts';

/** Closes every model looks at, at most: drift and the long-run volatility use a year of returns. */
const LOOKBACK_DAYS = 400;

export type CreatePredictionInput = {
  symbol: string;
  model?: string | undefined;
  days: number;
  note?: string | undefined;
};

/**
 * Runs a forecast on the latest stored prices and stores it with its log row in one statement.
 * Every failure after input validation is logged as "predict failed with model X" for the user. At most
 * `PREDICT_CONCURRENCY` creates run at once per process; the others wait their turn (a bounded queue).
 */
export async function createPrediction(
  services: Services,
  user: SessionUser,
  input: CreatePredictionInput,
): Promise<PredictionRow> {
  const fail = failWith(services, user, input);
  try {
    return await services.predictSlots.run(() => create(services, user, input, fail));
  } catch (error) {
    if (!(error instanceof QueueFullError)) throw error;
    return fail(
      new TRPCError({
        code: 'TOO_MANY_REQUESTS',
        message: 'The server is busy with other forecasts; try again in a moment',
      }),
    );
  }
}

/** Logs "predict failed with model X" for the user, then throws the error. */
const failWith =
  (services: Services, user: SessionUser, input: CreatePredictionInput) =>
  async (error: TRPCError): Promise<never> => {
    await writeLog(services.db, {
      userId: user.id,
      username: user.username,
      action: actions.predictFailed(input.model ?? 'default'),
    });
    throw error;
  };

async function create(
  services: Services,
  user: SessionUser,
  input: CreatePredictionInput,
  fail: (error: TRPCError) => Promise<never>,
): Promise<PredictionRow> {
  let registry: ModelRegistry;
  let info: ModelInfo;
  try {
    registry = await services.models();
    info = input.model ? registry.get(input.symbol, input.model) : registry.defaultModel(input.symbol);
  } catch (error) {
    if (error instanceof ForecastError && error.code === 'UNKNOWN_MODEL') {
      return fail(new TRPCError({ code: 'BAD_REQUEST', message: capitalise(error.message), cause: error }));
    }
    return fail(
      new TRPCError({
        code: 'INTERNAL_SERVER_ERROR',
        message: 'The model registry is unavailable',
        cause: error,
      }),
    );
  }
  if (input.days > info.maxHorizon) {
    return fail(
      new TRPCError({
        code: 'BAD_REQUEST',
        message: `${info.name} forecasts at most ${info.maxHorizon} days ahead; ${input.days} were asked`,
      }),
    );
  }

  const needed = Math.max(info.minHistory, info.window + 1, LOOKBACK_DAYS);
  const history = latestContiguous(
    await getRecentCloses(services.db, { symbol: input.symbol, limit: needed }),
  );
  if (history.length < info.minHistory) {
    const missing = info.minHistory - history.length;
    return fail(
      new TRPCError({
        code: 'PRECONDITION_FAILED',
        message: `${info.name} needs ${info.minHistory} consecutive days of ${input.symbol} prices; ${history.length} are stored (${missing} missing). Import prices first.`,
      }),
    );
  }

  let result: Awaited<ReturnType<ModelRegistry['forecast']>>;
  try {
    result = await registry.forecast({
      symbol: input.symbol,
      model: info.name,
      history,
      horizon: input.days,
    });
  } catch (error) {
    return fail(
      new TRPCError({
        code: 'INTERNAL_SERVER_ERROR',
        message: `The ${info.name} forecast failed`,
        cause: error,
      }),
    );
  }

  const points: StoredForecastPoint[] = result.points.map((p) => ({ ...p }));
  return insertPredictionWithLog(
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
      summary: summarise(input.symbol, result.model.name, points),
      points,
    },
    { action: actions.predictSuccess(result.model.name) },
  );
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** The legacy `forecast` text column: one readable line about the last forecast day. */
function summarise(symbol: string, model: string, points: StoredForecastPoint[]): string {
  const last = points.at(-1);
  if (!last) return `${symbol} forecast with ${model}`;
  const money = (v: number) => v.toFixed(v >= 100 ? 2 : 4);
  return `${symbol} ${points.length}-day forecast with ${model}: ${last.day} ${money(last.value)} (80%: ${money(last.lower80)}–${money(last.upper80)})`;
}
