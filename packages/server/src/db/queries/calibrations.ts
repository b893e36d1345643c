import type { CalibrationJson, LiveOutcome } from '@ethcast/forecast';
import { and, desc, eq, sql } from 'drizzle-orm';
import { type Database, type Executor, queryRows } from '../client.ts';
import { modelCalibrations } from '../schema.ts';

export type CalibrationVersion = {
  id: number;
  symbol: string;
  model: string;
  modelVersion: string;
  version: number;
  calibration: CalibrationJson;
  outcomes: number;
  totalOutcomes: number;
  createdAt: Date;
};

const versionColumns = {
  id: modelCalibrations.id,
  symbol: modelCalibrations.symbol,
  model: modelCalibrations.model,
  modelVersion: modelCalibrations.modelVersion,
  version: modelCalibrations.version,
  calibration: modelCalibrations.calibration,
  outcomes: modelCalibrations.outcomes,
  totalOutcomes: modelCalibrations.totalOutcomes,
  createdAt: modelCalibrations.createdAt,
};

type ModelKey = { symbol: string; model: string; modelVersion: string };

/** The newest live calibration of a shipped model version, or null while it has none. */
export async function getLatestCalibration(db: Executor, key: ModelKey): Promise<CalibrationVersion | null> {
  const [row] = await db
    .select(versionColumns)
    .from(modelCalibrations)
    .where(
      and(
        eq(modelCalibrations.symbol, key.symbol),
        eq(modelCalibrations.model, key.model),
        eq(modelCalibrations.modelVersion, key.modelVersion),
      ),
    )
    .orderBy(desc(modelCalibrations.version))
    .limit(1);
  return row ?? null;
}

/** Serialises recalibrations of one model across replicas, until the transaction ends. */
export async function lockModelCalibration(tx: Executor, key: ModelKey): Promise<void> {
  await tx.execute(
    sql`select pg_advisory_xact_lock(hashtext(${`calibration:${key.symbol}:${key.model}:${key.modelVersion}`}))`,
  );
}

/**
 * The scored outcomes of a model version not folded into a calibration yet, in the order they became
 * known (by day, then horizon). Of several forecasts from the same origin (users asking the same model
 * on the same day) one outcome per horizon counts, as in the backtest, where each origin is one forecast;
 * `scoreIds` lists every score the batch covers, duplicates included, so they are marked together.
 */
export async function pendingOutcomes(
  db: Executor,
  key: ModelKey,
): Promise<{ outcomes: LiveOutcome[]; scoreIds: number[] }> {
  const rows = await queryRows<{
    id: number | string;
    horizon: number;
    inside80: boolean;
    inside95: boolean;
    counts: boolean;
  }>(
    db as Database,
    sql`
      with pending as (
        select s.id, s.horizon, s.day, s.inside80, s.inside95, p.data_through,
               row_number() over (partition by p.data_through, s.horizon order by s.id) as nth,
               exists (
                 select 1 from forecast_scores done join predict q on q.id = done.predict_id
                 where done.calibration_id is not null and q.symbol = p.symbol and q.model = p.model
                   and q.model_version = p.model_version and q.data_through = p.data_through
                   and done.horizon = s.horizon
               ) as folded
        from forecast_scores s join predict p on p.id = s.predict_id
        where s.calibration_id is null and p.symbol = ${key.symbol} and p.model = ${key.model}
          and p.model_version = ${key.modelVersion}
      )
      select id, horizon, inside80, inside95, (nth = 1 and not folded) as counts
      from pending order by day, horizon, data_through, id`,
  );
  return {
    outcomes: rows
      .filter((r) => r.counts)
      .map((r) => ({ horizon: r.horizon, covered80: r.inside80, covered95: r.inside95 })),
    scoreIds: rows.map((r) => Number(r.id)),
  };
}

export async function insertCalibrationVersion(
  tx: Executor,
  values: ModelKey & {
    version: number;
    calibration: CalibrationJson;
    outcomes: number;
    totalOutcomes: number;
  },
): Promise<CalibrationVersion> {
  const [row] = await tx.insert(modelCalibrations).values(values).returning(versionColumns);
  if (!row) throw new Error('calibration version was not stored');
  return row;
}

export async function markOutcomesFolded(tx: Executor, scoreIds: number[], calibrationId: number) {
  if (scoreIds.length === 0) return;
  await tx.execute(
    sql`update forecast_scores set calibration_id = ${calibrationId}
        where id in (select unnest(${`{${scoreIds.join(',')}}`}::bigint[]))`,
  );
}
