/** One daily bar. Only `close` is used by the models; the rest is accepted so callers can pass raw bars. */
export interface PriceBar {
  /** 'YYYY-MM-DD', UTC calendar day */
  day: string;
  close: number;
  open?: number;
  high?: number;
  low?: number;
  volume?: number;
}

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
