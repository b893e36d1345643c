import { type SQL, sql } from 'drizzle-orm';
import { type Database, queryRows } from '../client.ts';

export type TrackRecordCell = {
  model: string;
  /** days ahead; null = all horizons pooled */
  horizon: number | null;
  /** scored points (one per origin and horizon: duplicate forecasts of one origin count once) */
  n: number;
  /** served forecasts behind them, and their distinct origins (the last price day they used) */
  forecasts: number;
  origins: number;
  mae: number;
  persistenceMae: number;
  hits80: number;
  hits95: number;
  width80: number;
  width95: number;
  /** mean band width relative to the forecast value (fraction) */
  relativeWidth80: number;
  relativeWidth95: number;
};

/**
 * Aggregates the stored scores of a symbol's served forecasts per model and horizon, and per model over
 * all horizons. Of several forecasts made by one model from the same origin (users asking the same thing
 * on the same day) each horizon counts once, the oldest forecast's, so popular days do not weigh more.
 */
export async function trackRecordCells(
  db: Database,
  args: { symbol: string; model?: string | undefined; horizon?: number | undefined },
): Promise<TrackRecordCell[]> {
  const filters: SQL[] = [sql`p.symbol = ${args.symbol}`];
  if (args.model) filters.push(sql`p.model = ${args.model}`);
  if (args.horizon) filters.push(sql`s.horizon = ${args.horizon}`);
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`
      with served as (
        select p.model, s.horizon, s.predict_id, p.data_through, s.error, s.persistence_error,
               s.inside80, s.inside95, s.width80, s.width95, s.value,
               row_number() over (partition by p.model, p.data_through, s.horizon order by s.predict_id) as nth
        from forecast_scores s join predict p on p.id = s.predict_id
        where ${sql.join(filters, sql` and `)}
      ), points as (select * from served where nth = 1)
      select model, horizon, count(*)::int as n,
             (select count(distinct predict_id)::int from served x
               where x.model = points.model and (points.horizon is null or x.horizon = points.horizon)) as forecasts,
             count(distinct data_through)::int as origins,
             avg(abs(error)) as mae, avg(abs(persistence_error)) as persistence_mae,
             sum(inside80::int)::int as hits80, sum(inside95::int)::int as hits95,
             avg(width80) as width80, avg(width95) as width95,
             avg(width80 / value) as relative_width80, avg(width95 / value) as relative_width95
      from points
      group by grouping sets ((model, horizon), (model))
      order by model, horizon nulls first`,
  );
  return rows.map((r) => ({
    model: String(r.model),
    horizon: r.horizon === null ? null : Number(r.horizon),
    n: Number(r.n),
    forecasts: Number(r.forecasts),
    origins: Number(r.origins),
    mae: Number(r.mae),
    persistenceMae: Number(r.persistence_mae),
    hits80: Number(r.hits80),
    hits95: Number(r.hits95),
    width80: Number(r.width80),
    width95: Number(r.width95),
    relativeWidth80: Number(r.relative_width80),
    relativeWidth95: Number(r.relative_width95),
  }));
}
