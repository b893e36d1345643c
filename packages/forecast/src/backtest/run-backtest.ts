import { validateHistory } from '../data/validate-history.ts';
import {
  type AciSchedule,
  type CalibratorOptions,
  DEFAULT_CALIBRATION_WINDOW,
} from '../intervals/conformal.ts';
import { MODEL_NAMES, type PointModel } from '../models/point-model.ts';
import type { HorizonMetrics, PriceBar } from '../types.ts';
import { horizonMetrics } from './metrics.ts';
import { type ScoredForecast, walkForward } from './walk-forward.ts';

export interface BacktestModel {
  name: string;
  id: string;
  version: string;
  trainedThrough: string | null;
  /**
   * true when the model carries parameters fitted on its training range (neural nets, ensembles holding
   * them); baselines and theta refit on the history at every origin and can never be in-sample
   */
  learnsFromTraining?: boolean;
  model: PointModel;
  /** refit from closes up to an origin, for --retrain-every; absent = model is used as trained */
  refit?: (closes: Float64Array) => Promise<PointModel>;
}

export interface BacktestOptions {
  bars: PriceBar[];
  from: string;
  to: string;
  horizons: number[];
  models: BacktestModel[];
  retrainEvery?: number;
  /** ACI step size (experiments only; the default is what ships) */
  gamma?: number;
  /** how the ACI step depends on the horizon (experiments only; the default is what ships) */
  gammaSchedule?: AciSchedule;
  /** scores kept per horizon (default: all, an expanding window); also how far back the warm-up starts */
  calibrationWindow?: number;
  /** regime bins and band shape (experiments only; the default is what ships) */
  calibration?: CalibratorOptions;
  onProgress?: (model: string, done: number, total: number) => void;
}

export interface BacktestModelResult {
  name: string;
  id: string;
  version: string;
  trainedThrough: string | null;
  /** true when the model was trained on days inside the scored range: its scores are not out of sample */
  inSample: boolean;
  retrainedEvery: number | null;
  metrics: Record<string, HorizonMetrics>;
  origins: Record<string, number>;
  /** mean MAE ratio to persistence over the horizons (lower is better) */
  score: number;
}

export interface BacktestReport {
  from: string;
  to: string;
  horizons: number[];
  /** model with the lowest score among out-of-sample results */
  defaultModel: string;
  models: BacktestModelResult[];
  /** forecasts per model and horizon, for callers that need more than the summary */
  forecasts: Map<string, Map<number, ScoredForecast[]>>;
}

/**
 * Walk-forward backtest over every origin in [from, to]. Each origin sees only closes through that day;
 * a forecast for horizon h is scored when origin + h ≤ to. Interval calibration warms up on the origins
 * before `from` (all of them by default, else the last `calibrationWindow`) and then updates online (ACI).
 */
export async function backtest(options: BacktestOptions): Promise<BacktestReport> {
  const closes = validateHistory(options.bars);
  const days = options.bars.map((b) => b.day);
  const fromIdx = days.indexOf(options.from);
  let toIdx = days.indexOf(options.to);
  if (fromIdx < 0) throw new Error(`backtest start ${options.from} is not in the data`);
  if (toIdx < 0) {
    if (options.to > (days[days.length - 1] ?? '')) toIdx = days.length - 1;
    else throw new Error(`backtest end ${options.to} is not in the data`);
  }
  if (toIdx <= fromIdx) throw new Error('backtest end must be after its start');
  const maxH = Math.max(...options.horizons);
  const results: BacktestModelResult[] = [];
  const forecasts = new Map<string, Map<number, ScoredForecast[]>>();
  for (const entry of options.models) {
    if (entry.model.maxHorizon < maxH) {
      throw new Error(
        `model ${entry.name} forecasts at most ${entry.model.maxHorizon} days, asked for ${maxH}`,
      );
    }
    const window = options.calibrationWindow ?? DEFAULT_CALIBRATION_WINDOW;
    const start = Math.max(0, fromIdx - window - maxH);
    const retrain =
      options.retrainEvery && entry.refit ? { every: options.retrainEvery, fit: entry.refit } : undefined;
    const { scored } = await walkForward(entry.model, closes, {
      start,
      scoreFrom: fromIdx,
      scoreTo: toIdx,
      horizons: options.horizons,
      maxHorizon: maxH,
      ...(options.gamma !== undefined ? { gamma: options.gamma } : {}),
      ...(options.gammaSchedule !== undefined ? { gammaSchedule: options.gammaSchedule } : {}),
      calibrationWindow: window,
      ...(options.calibration !== undefined ? { calibration: options.calibration } : {}),
      ...(retrain ? { retrain } : {}),
      onProgress: (done, total) => options.onProgress?.(entry.name, done, total),
    });
    const metrics: Record<string, HorizonMetrics> = {};
    const origins: Record<string, number> = {};
    for (const h of options.horizons) {
      const list = scored.get(h) ?? [];
      metrics[String(h)] = horizonMetrics(list);
      origins[String(h)] = list.length;
    }
    forecasts.set(entry.name, scored);
    const score =
      options.horizons.reduce((s, h) => s + (metrics[String(h)]?.maeRatio ?? 0), 0) / options.horizons.length;
    results.push({
      name: entry.name,
      id: entry.id,
      version: entry.version,
      trainedThrough: entry.trainedThrough,
      inSample:
        !retrain &&
        entry.learnsFromTraining === true &&
        entry.trainedThrough !== null &&
        entry.trainedThrough >= options.from,
      retrainedEvery: retrain ? retrain.every : null,
      metrics,
      origins,
      score,
    });
  }
  return {
    from: options.from,
    to: days[toIdx] ?? options.to,
    horizons: options.horizons,
    defaultModel: pickDefault(results),
    models: results,
    forecasts,
  };
}

/** Lowest mean MAE ratio among out-of-sample results; on a tie the simpler model (earlier in MODEL_NAMES). */
export function pickDefault(results: readonly BacktestModelResult[]): string {
  const rank = (name: string) => {
    const i = (MODEL_NAMES as readonly string[]).indexOf(name);
    return i < 0 ? MODEL_NAMES.length : i;
  };
  const eligible = results.filter((r) => !r.inSample);
  const pool = eligible.length ? eligible : results;
  const best = [...pool].sort((a, b) => a.score - b.score || rank(a.name) - rank(b.name))[0];
  return best?.name ?? 'naive';
}
