import { and, desc, eq, lt, type SQL, sql } from 'drizzle-orm';
import { type Database, type Executor, preparedQuery } from '../client.ts';
import { forecastScores, modelCalibrations, predict, prices, type StoredForecastPoint } from '../schema.ts';
import { type Viewer, visibleTo, visibleToPrepared } from './scope.ts';
import type { StoredScore } from './scores.ts';

const summaryColumns = {
  id: predict.id,
  date: predict.date,
  userId: predict.userId,
  usernamePredict: predict.usernamePredict,
  symbol: predict.symbol,
  model: predict.model,
  modelVersion: predict.modelVersion,
  days: predict.days,
  dataThrough: predict.dataThrough,
  note: predict.note,
  forecast: predict.forecast,
  calibrationId: predict.calibrationId,
};

export const predictionColumns = { ...summaryColumns, points: predict.forecastResult };

type StoredPrediction = typeof predict.$inferSelect;

/**
 * A stored forecast as the queries return it: the `predict` row with its points as `points` (the
 * column is forecast_result) and without the generated last point (lists carry it, the detail does not).
 * `calibrationId` is the live calibration its bands were made with; null = the shipped calibration.
 */
export type PredictionRow = Omit<StoredPrediction, 'forecastResult' | 'lastPoint'> & {
  points: StoredPrediction['forecastResult'];
};

export type NewPrediction = {
  userId: number;
  username: string;
  symbol: string;
  model: string;
  modelVersion: string;
  days: number;
  dataThrough: string;
  note: string | null;
  /** the live calibration version used (absent/null = the shipped one) */
  calibrationId?: number | null;
  summary: string;
  points: StoredForecastPoint[];
};

/** The insert of a forecast, not yet run: the use case runs it with its audit-log row in one statement. */
export function predictionInsert(db: Database, values: NewPrediction) {
  return db
    .insert(predict)
    .values({
      userId: values.userId,
      usernamePredict: values.username,
      symbol: values.symbol,
      model: values.model,
      modelVersion: values.modelVersion,
      days: values.days,
      dataThrough: values.dataThrough,
      note: values.note,
      calibrationId: values.calibrationId ?? null,
      forecast: values.summary,
      forecastResult: values.points,
    })
    .returning(predictionColumns);
}

export type ListPredictionsArgs = {
  cursor?: number;
  limit: number;
  userId?: number;
  symbol?: string;
  model?: string;
  /** every point of each row as `points` (the legacy list answered them; lists otherwise skip them) */
  points?: boolean;
};

/** The list query for one combination of filters, built and prepared once per database. */
function listQuery(db: Database, viewer: Viewer, args: ListPredictionsArgs) {
  const shape = {
    owner: viewer.role !== 'admin',
    cursor: args.cursor !== undefined,
    userId: args.userId !== undefined,
    symbol: !!args.symbol,
    model: !!args.model,
    points: !!args.points,
  };
  const key = `listPredictions:${Object.values(shape).map(Number).join('')}`;
  return preparedQuery(db, key, (database) => {
    const conditions: SQL[] = [];
    // the owner-or-admin rule (scope.ts): one prepared statement serves every non-admin
    const owner = visibleToPrepared(predict.userId, shape.owner);
    if (owner) conditions.push(owner);
    if (shape.cursor) conditions.push(lt(predict.id, sql.placeholder('cursor')));
    if (shape.userId) conditions.push(eq(predict.userId, sql.placeholder('userId')));
    if (shape.symbol) conditions.push(eq(predict.symbol, sql.placeholder('symbol')));
    if (shape.model) conditions.push(eq(predict.model, sql.placeholder('model')));
    // every point only when asked for: reading each forecast_result costs its decompression
    const listed = { ...summaryColumns, lastPoint: predict.lastPoint };
    const withPoints = { ...listed, points: predict.forecastResult };
    return database
      .select(shape.points ? withPoints : (listed as typeof withPoints))
      .from(predict)
      .where(and(...conditions))
      .orderBy(desc(predict.id))
      .limit(sql.placeholder('limit'))
      .prepare(key.replace(':', '_'));
  });
}

/**
 * The viewer's forecasts (an admin's: everyone's, or one user's with `userId`), newest first,
 * keyset-paginated on id (index predict_user_id_id_idx, or the primary key for all users). A page
 * carries each forecast's last point (the stored generated column), not all of them: the detail view
 * loads the rest.
 */
export async function listPredictions(db: Database, viewer: Viewer, args: ListPredictionsArgs) {
  const rows = await listQuery(db, viewer, args).execute({
    viewerId: viewer.id,
    cursor: args.cursor,
    userId: args.userId,
    symbol: args.symbol,
    model: args.model,
    limit: args.limit + 1,
  });
  // `points` is there only when asked for (see listQuery)
  const items: (Omit<(typeof rows)[number], 'points'> & { points?: StoredForecastPoint[] | null })[] =
    rows.slice(0, args.limit);
  return { items, nextCursor: rows.length > args.limit ? (items.at(-1)?.id ?? null) : null };
}

const predictionWithCloses = (db: Database, scoped: boolean) =>
  preparedQuery(db, `predictionWithCloses:${scoped}`, (database) =>
    database
      .select({
        ...predictionColumns,
        // the stored closes of the forecast's days, in the same round trip. The outer row is named
        // "predict"."…" by hand: drizzle writes a single-table select's columns unqualified, and an
        // unqualified "symbol" or "id" inside these subqueries would mean the inner table's own column.
        closes: sql<{ day: string; close: number }[]>`(
          select coalesce(json_agg(json_build_object('day', p.day, 'close', p.close) order by p.day), '[]'::json)
          from ${prices} p
          where p.symbol = "predict"."symbol"
            and p.day between ("predict"."forecast_result" -> 0 ->> 'day')::date
                          and ("predict"."forecast_result" -> -1 ->> 'day')::date)`,
        // its stored scores (the score-forecasts job) and the version of the calibration it was made with
        scores: sql<StoredScore[]>`(
          select coalesce(json_agg(json_build_object(
                   'horizon', s.horizon, 'day', s.day, 'actual', s.actual, 'value', s.value, 'error', s.error,
                   'persistenceError', s.persistence_error, 'inside80', s.inside80, 'inside95', s.inside95
                 ) order by s.horizon), '[]'::json)
          from ${forecastScores} s where s.predict_id = "predict"."id")`,
        calibrationVersion: sql<number | null>`(
          select c.version from ${modelCalibrations} c where c.id = "predict"."calibration_id")`,
      })
      .from(predict)
      .where(and(eq(predict.id, sql.placeholder('id')), visibleToPrepared(predict.userId, scoped)))
      .limit(1)
      .prepare(`prediction_with_closes_${scoped ? 'own' : 'all'}`),
  );

/**
 * A forecast with the stored closes of its days (for the accuracy report), in one prepared statement:
 * `predicts.byId` runs it on every call.
 */
export async function getPredictionWithCloses(
  db: Database,
  viewer: Viewer,
  id: number,
): Promise<
  | (PredictionRow & {
      closes: { day: string; close: number }[];
      scores: StoredScore[];
      calibrationVersion: number | null;
    })
  | null
> {
  const scoped = viewer.role !== 'admin';
  const [row] = await predictionWithCloses(db, scoped).execute({ id, viewerId: viewer.id });
  return row ?? null;
}

/** The forecast `id` if the viewer may see it (see scope.ts). */
const visiblePrediction = (viewer: Viewer, id: number) =>
  and(eq(predict.id, id), visibleTo(predict.userId, viewer));

/** One forecast the viewer may see (own, or any for an admin), without its closes. */
export async function getPrediction(db: Executor, viewer: Viewer, id: number): Promise<PredictionRow | null> {
  const [row] = await db
    .select(predictionColumns)
    .from(predict)
    .where(visiblePrediction(viewer, id))
    .limit(1);
  return row ?? null;
}

/** Only the note can change: a stored forecast is immutable. */
export async function updatePredictionNote(
  db: Executor,
  viewer: Viewer,
  id: number,
  note: string | null,
): Promise<PredictionRow | null> {
  const [row] = await db
    .update(predict)
    .set({ note })
    .where(visiblePrediction(viewer, id))
    .returning(predictionColumns);
  return row ?? null;
}

export async function deletePrediction(
  db: Executor,
  viewer: Viewer,
  id: number,
): Promise<{ id: number } | null> {
  const [row] = await db.delete(predict).where(visiblePrediction(viewer, id)).returning({ id: predict.id });
  return row ?? null;
}
