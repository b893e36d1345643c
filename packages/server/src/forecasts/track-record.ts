import { type TrackRecordCell, trackRecordCells } from '../db/queries/track-record.ts';
import type { Services } from '../services.ts';

/** Distinct forecast origins a cell needs before its figures say anything (fewer: `enough` is false). */
export const MIN_ORIGINS = 30;

export type Proportion = {
  /** observed fraction (0–1) */
  observed: number;
  /** 95 % Wilson score interval of the fraction */
  low: number;
  high: number;
};

/** A cell's counts and errors as the query reads them (persistenceMae: "the close stays at the origin's"). */
export type TrackRecordRow = Pick<
  TrackRecordCell,
  'horizon' | 'n' | 'forecasts' | 'origins' | 'mae' | 'persistenceMae'
> & {
  /** mae ÷ persistenceMae: below 1 beats persistence */
  maeRatio: number | null;
  coverage80: Proportion;
  coverage95: Proportion;
  meanWidth80: number;
  meanWidth95: number;
  /** mean width as a fraction of the forecast value */
  relativeWidth80: number;
  relativeWidth95: number;
  enough: boolean;
};

export type ModelTrackRecord = {
  model: string;
  overall: TrackRecordRow;
  horizons: TrackRecordRow[];
  /** calibration plot: each nominal level against the observed coverage, every horizon pooled */
  calibration: { nominal: number; observed: number; low: number; high: number; n: number }[];
  enough: boolean;
  /** one plain sentence on how much the figures can say */
  verdict: string;
};

export type TrackRecord = { symbol: string; minOrigins: number; models: ModelTrackRecord[] };

/** z for a two-sided 95 % interval. */
const Z95 = 1.959964;

/** Wilson score interval (95 %) of `hits` out of `n`; stays inside [0, 1] even for 0 or n hits. */
export function wilson(hits: number, n: number): Proportion {
  if (n === 0) return { observed: 0, low: 0, high: 1 };
  const p = hits / n;
  const z2 = Z95 * Z95;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (Z95 * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  // at 0 or n hits the bound meets p exactly in theory; keep rounding from putting p outside
  return {
    observed: p,
    low: Math.min(p, Math.max(0, centre - half)),
    high: Math.max(p, Math.min(1, centre + half)),
  };
}

function rowOf(cell: TrackRecordCell): TrackRecordRow {
  return {
    horizon: cell.horizon,
    n: cell.n,
    forecasts: cell.forecasts,
    origins: cell.origins,
    mae: cell.mae,
    persistenceMae: cell.persistenceMae,
    maeRatio: cell.persistenceMae > 0 ? cell.mae / cell.persistenceMae : null,
    coverage80: wilson(cell.hits80, cell.n),
    coverage95: wilson(cell.hits95, cell.n),
    meanWidth80: cell.width80,
    meanWidth95: cell.width95,
    relativeWidth80: cell.relativeWidth80,
    relativeWidth95: cell.relativeWidth95,
    enough: cell.origins >= MIN_ORIGINS,
  };
}

function verdictOf(overall: TrackRecordRow): string {
  if (!overall.enough) {
    return `Only ${overall.origins} scored forecast ${overall.origins === 1 ? 'origin' : 'origins'} so far: too few to conclude anything (at least ${MIN_ORIGINS} are needed).`;
  }
  const ratio = overall.maeRatio;
  const versus =
    ratio === null
      ? 'no persistence error to compare with'
      : ratio < 1
        ? `${Math.round((1 - ratio) * 100)} % lower error than persistence`
        : `${Math.round((ratio - 1) * 100)} % higher error than persistence`;
  return `${overall.origins} scored origins: ${versus}; the 80 % band held ${Math.round(overall.coverage80.observed * 100)} % of outcomes, the 95 % band ${Math.round(overall.coverage95.observed * 100)} %.`;
}

/** The live track record of a symbol's models: how their served forecasts turned out. */
export async function trackRecord(
  services: Pick<Services, 'db'>,
  args: { symbol: string; model?: string | undefined; horizon?: number | undefined },
): Promise<TrackRecord> {
  const cells = await trackRecordCells(services.db, args);
  const models = new Map<string, ModelTrackRecord>();
  for (const cell of cells) {
    const row = rowOf(cell);
    if (cell.horizon === null) {
      models.set(cell.model, {
        model: cell.model,
        overall: row,
        horizons: [],
        calibration: [
          { nominal: 0.8, ...row.coverage80, n: row.n },
          { nominal: 0.95, ...row.coverage95, n: row.n },
        ],
        enough: row.enough,
        verdict: verdictOf(row),
      });
    } else {
      models.get(cell.model)?.horizons.push(row);
    }
  }
  return { symbol: args.symbol, minOrigins: MIN_ORIGINS, models: [...models.values()] };
}
