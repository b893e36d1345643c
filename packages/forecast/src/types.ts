import type { PriceBar } from '@ethcast/price-file';

/**
 * One daily bar, as a price file gives it ('YYYY-MM-DD' UTC day and close; open, high, low, volume when
 * known). Only `close` is used by the models; the rest is accepted so callers can pass raw bars.
 */
export type DailyBar = PriceBar;

export interface ForecastPoint {
  day: string;
  value: number;
  lower80: number;
  upper80: number;
  lower95: number;
  upper95: number;
}

export interface HorizonMetrics {
  mae: number;
  rmse: number;
  mape: number;
  maeRatio: number;
  hitRate: number;
  coverage80: number;
  coverage95: number;
  width80: number;
  width95: number;
}

export interface ModelInfo {
  /** folder name, e.g. 'eth-usd-lstm' */
  id: string;
  /** model name users pass: 'naive' | 'drift' | 'theta' | 'lstm' | 'gru' | 'ensemble' */
  name: string;
  kind: string;
  symbol: string;
  window: number;
  maxHorizon: number;
  minHistory: number;
  version: string;
  trainedFrom: string | null;
  trainedThrough: string | null;
  /** keyed by horizon ('1', '7', '30') */
  metrics: Record<string, HorizonMetrics> | null;
  /**
   * Where `metrics` come from: an out-of-sample backtest over `from`..`to` of models trained only on data
   * through `modelsTrainedThrough`, not the shipped model (trained through `trainedThrough`).
   */
  backtest: { from: string; to: string; modelsTrainedThrough: string | null } | null;
  isDefault: boolean;
}

/** Quantile levels of the pinball loss, as keys: the 95% and 80% bounds and the median. */
export type PinballLevel = '0.025' | '0.1' | '0.5' | '0.9' | '0.975';

/**
 * HorizonMetrics plus the proper scores and coverage tests of the backtest. Price-unit scores are in the
 * symbol's quote currency; `…Relative` divides each outcome's score by the close at its origin first, so
 * years with very different prices weigh alike when pooled.
 */
export interface EvaluationMetrics extends HorizonMetrics {
  /** 95% confidence interval of the coverage, Newey–West standard error (see coverageWithCi) */
  coverage80Ci: [number, number];
  coverage95Ci: [number, number];
  /** mean interval (Winkler) score of the 80% / 95% band */
  intervalScore80: number;
  intervalScore95: number;
  intervalScore80Relative: number;
  intervalScore95Relative: number;
  /** mean pinball loss at each quantile level (bounds of the bands; the point forecast as the median) */
  pinball: Record<PinballLevel, number>;
  pinballRelative: Record<PinballLevel, number>;
  /** h = 1 only (null otherwise): Kupiec unconditional-coverage and Christoffersen independence p-values */
  kupiec80: number | null;
  kupiec95: number | null;
  christoffersen80: number | null;
  christoffersen95: number | null;
}
