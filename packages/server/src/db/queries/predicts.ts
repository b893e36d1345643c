import { and, desc, eq, lt, type SQL, sql } from 'drizzle-orm';
import type { Database, Executor } from '../client.ts';
import { predict, type StoredForecastPoint } from '../schema.ts';

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
};

export const predictionColumns = { ...summaryColumns, points: predict.forecastResult };

export type PredictionRow = {
  id: number;
  date: Date;
  userId: number | null;
  usernamePredict: string | null;
  symbol: string | null;
  model: string | null;
  modelVersion: string | null;
  days: number | null;
  dataThrough: string | null;
  note: string | null;
  forecast: string | null;
  points: StoredForecastPoint[] | null;
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
  summary: string;
  points: StoredForecastPoint[];
};

export async function insertPrediction(db: Executor, values: NewPrediction): Promise<PredictionRow> {
  const [row] = await db
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
      forecast: values.summary,
      forecastResult: values.points,
    })
    .returning(predictionColumns);
  if (!row) throw new Error('predict insert returned no row');
  return row;
}

export type ListPredictionsArgs = {
  cursor?: number;
  limit: number;
  userId?: number;
  symbol?: string;
  model?: string;
};

/**
 * Newest first, keyset-paginated on id (index predict_user_id_id_idx, or the primary key for all users).
 * A page carries each forecast's last point, not all of them: the detail view loads the rest.
 */
export async function listPredictions(db: Database, args: ListPredictionsArgs) {
  const conditions: SQL[] = [];
  if (args.cursor !== undefined) conditions.push(lt(predict.id, args.cursor));
  if (args.userId !== undefined) conditions.push(eq(predict.userId, args.userId));
  if (args.symbol) conditions.push(eq(predict.symbol, args.symbol));
  if (args.model) conditions.push(eq(predict.model, args.model));
  const rows = await db
    .select({
      ...summaryColumns,
      lastPoint: sql<StoredForecastPoint | null>`${predict.forecastResult} -> -1`,
    })
    .from(predict)
    .where(and(...conditions))
    .orderBy(desc(predict.id))
    .limit(args.limit + 1);
  const items = rows.slice(0, args.limit);
  return { items, nextCursor: rows.length > args.limit ? (items.at(-1)?.id ?? null) : null };
}

export async function getPrediction(db: Executor, id: number): Promise<PredictionRow | null> {
  const [row] = await db.select(predictionColumns).from(predict).where(eq(predict.id, id)).limit(1);
  return row ?? null;
}

/** Only the note can change: a stored forecast is immutable. */
export async function updatePredictionNote(
  db: Executor,
  id: number,
  note: string | null,
): Promise<PredictionRow | null> {
  const [row] = await db.update(predict).set({ note }).where(eq(predict.id, id)).returning(predictionColumns);
  return row ?? null;
}

export async function deletePrediction(db: Executor, id: number): Promise<{ id: number } | null> {
  const [row] = await db.delete(predict).where(eq(predict.id, id)).returning({ id: predict.id });
  return row ?? null;
}
