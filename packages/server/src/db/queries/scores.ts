import { sql } from 'drizzle-orm';
import { type Database, queryRows } from '../client.ts';

export type StoredScore = {
  horizon: number;
  day: string;
  actual: number;
  value: number;
  error: number;
  persistenceError: number;
  inside80: boolean;
  inside95: boolean;
};

/**
 * Scores every forecast point whose day now has a stored close and that has no score yet, in one
 * statement (all or nothing): the error, the bands' hits and widths, and the persistence error of the
 * same origin ("the day's close = the close on data_through"). A point keeps its first score: a close
 * corrected later does not rewrite what was recorded. Forecasts without an origin (legacy rows) or whose
 * origin close is gone are skipped. Returns how many points and forecasts were scored.
 */
export async function scoreNewOutcomes(db: Database): Promise<{ points: number; forecasts: number }> {
  const rows = await queryRows<{ predict_id: number | string }>(
    db,
    sql`
      insert into forecast_scores
        (predict_id, horizon, day, actual, value, error, persistence_error, inside80, inside95, width80, width95)
      select p.id, pt.day - p.data_through, pt.day, actual.close, pt.value,
             actual.close - pt.value, actual.close - origin.close,
             actual.close between pt.lower80 and pt.upper80,
             actual.close between pt.lower95 and pt.upper95,
             pt.upper80 - pt.lower80, pt.upper95 - pt.lower95
      from predict p
      join prices origin on origin.symbol = p.symbol and origin.day = p.data_through
      cross join lateral jsonb_to_recordset(p.forecast_result)
        as pt(day date, value float8, lower80 float8, upper80 float8, lower95 float8, upper95 float8)
      join prices actual on actual.symbol = p.symbol and actual.day = pt.day
      where p.forecast_result is not null
        and p.days is not null
        and pt.day > p.data_through
        and (select count(*) from forecast_scores done where done.predict_id = p.id) < p.days
      on conflict (predict_id, horizon) do nothing
      returning predict_id`,
  );
  return { points: rows.length, forecasts: new Set(rows.map((r) => Number(r.predict_id))).size };
}
