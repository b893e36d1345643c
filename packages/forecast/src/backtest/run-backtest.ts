import { validateHistory } from '../data/validate-history.ts';
import { type AnchorName, createAnchorBands, GARCH_REFIT_EVERY } from '../intervals/anchor-bands.ts';
import { scheduledBlend } from '../intervals/blend-selection.ts';
import type { CalibratorOptions } from '../intervals/conformal.ts';
import {
  DEFAULT_EWMA_SCALE_WEIGHT,
  DEFAULT_SCALE_METHOD,
  type ScaleMethod,
  type WalkForwardScaleModel,
  walkForwardScales,
} from '../intervals/scale-models.ts';
import { MODEL_NAMES, type PointModel } from '../models/point-model.ts';
import type { DailyBar, EvaluationMetrics } from '../types.ts';
import { anchorWalkForward } from './anchor-walk-forward.ts';
import { evaluationMetrics } from './metrics.ts';
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

export type RetrainSchedule = number | 'yearly';

export interface BacktestOptions {
  bars: DailyBar[];
  from: string;
  to: string;
  horizons: number[];
  models: BacktestModel[];
  /**
   * Refit models that have `refit`: every K scored origins on data through the origin, or 'yearly': at the
   * first scored origin and at every 1 January on data through the day before (data before each year).
   */
  retrainEvery?: RetrainSchedule;
  /** ACI step size (experiments only; the default is what ships) */
  gamma?: number;
  /**
   * band shape (experiments only; the default is what ships). Without an explicit `blend` every origin's
   * band is blended with the yearly choice in force on its day (blend-selection.ts); an explicit blend,
   * or null for none, holds at every origin.
   */
  calibration?: CalibratorOptions;
  /** anchor band models scored beside the models (persistence centre, their own bands); never a default */
  anchors?: readonly AnchorName[];
  /** origins between garch-t refits (default GARCH_REFIT_EVERY), for the anchor and the garch-t scale */
  garchRefitEvery?: number;
  /** scale of the conformal scores (experiments; default: what ships) */
  scaleMethod?: ScaleMethod;
  /** weight of the ewma-normal volatility mixed into that scale (experiments; default: what ships) */
  ewmaScaleWeight?: number;
  /**
   * the walk-forward scales of these bars, when the caller already made them (the per-symbol build shares
   * one with its calibrations); overrides scaleMethod, ewmaScaleWeight and garchRefitEvery for the scales
   */
  scaleModel?: WalkForwardScaleModel;
  onProgress?: (model: string, done: number, total: number) => void;
}

export interface BacktestModelResult {
  name: string;
  /** 'anchor' for the anchor band models (ewma-normal, garch-t), which are scored but never shipped */
  kind: 'model' | 'anchor';
  id: string;
  version: string;
  trainedThrough: string | null;
  /** true when the model was trained on days inside the scored range: its scores are not out of sample */
  inSample: boolean;
  retrainedEvery: RetrainSchedule | null;
  /** pooled over every scored origin, keyed by horizon */
  metrics: Record<string, EvaluationMetrics>;
  /** the same per calendar year of the origin: yearly[year][horizon] */
  yearly: Record<string, Record<string, EvaluationMetrics>>;
  origins: Record<string, number>;
  /** wall time of this model's walk-forward, refits included */
  seconds: number;
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
 * a forecast for horizon h is scored when origin + h ≤ to. Interval calibration warms up on every origin
 * before `from` and then updates online (ACI).
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
  // one GARCH scale series per backtest, shared by every model (it depends on the closes only)
  const scaleModel =
    options.scaleModel ??
    walkForwardScales(
      options.scaleMethod ?? DEFAULT_SCALE_METHOD,
      options.garchRefitEvery ?? GARCH_REFIT_EVERY,
      options.ewmaScaleWeight ?? DEFAULT_EWMA_SCALE_WEIGHT,
    );
  for (const entry of options.models) {
    if (entry.model.maxHorizon < maxH) {
      throw new Error(
        `model ${entry.name} forecasts at most ${entry.model.maxHorizon} days, asked for ${maxH}`,
      );
    }
    const started = performance.now();
    const retrain =
      options.retrainEvery && entry.refit
        ? { fitEnd: refitSchedule(options.retrainEvery, days, fromIdx), fit: entry.refit }
        : undefined;
    const { scored } = await walkForward(entry.model, closes, {
      start: 0,
      scoreFrom: fromIdx,
      scoreTo: toIdx,
      horizons: options.horizons,
      maxHorizon: maxH,
      ...(options.gamma !== undefined ? { gamma: options.gamma } : {}),
      ...(options.calibration !== undefined ? { calibration: options.calibration } : {}),
      ...(options.calibration?.blend === undefined
        ? { blendAt: (t: number) => scheduledBlend(days[t] as string) }
        : {}),
      scales: scaleModel.scales,
      garch: scaleModel.garch,
      ...(retrain ? { retrain } : {}),
      onProgress: (done, total) => options.onProgress?.(entry.name, done, total),
    });
    forecasts.set(entry.name, scored);
    const summary = summarize(scored, options.horizons, days);
    results.push({
      name: entry.name,
      kind: 'model',
      id: entry.id,
      version: entry.version,
      trainedThrough: entry.trainedThrough,
      inSample:
        !retrain &&
        entry.learnsFromTraining === true &&
        entry.trainedThrough !== null &&
        entry.trainedThrough >= options.from,
      retrainedEvery: retrain ? (options.retrainEvery ?? null) : null,
      ...summary,
      seconds: (performance.now() - started) / 1000,
    });
  }
  for (const name of options.anchors ?? []) {
    const started = performance.now();
    const anchor = createAnchorBands(name, {
      ...(options.garchRefitEvery !== undefined ? { garchRefitEvery: options.garchRefitEvery } : {}),
    });
    const scored = anchorWalkForward(anchor, closes, {
      scoreFrom: fromIdx,
      scoreTo: toIdx,
      horizons: options.horizons,
      maxHorizon: maxH,
    });
    forecasts.set(name, scored);
    results.push({
      name,
      kind: 'anchor',
      id: name,
      version: 'builtin',
      trainedThrough: null,
      inSample: false,
      retrainedEvery: null,
      ...summarize(scored, options.horizons, days),
      seconds: (performance.now() - started) / 1000,
    });
    options.onProgress?.(name, 1, 1);
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

/** Pooled and per-year metrics of one model's scored forecasts, and its mean MAE ratio over the horizons. */
function summarize(
  scored: Map<number, ScoredForecast[]>,
  horizons: readonly number[],
  days: readonly string[],
): Pick<BacktestModelResult, 'metrics' | 'yearly' | 'origins' | 'score'> {
  const metrics: Record<string, EvaluationMetrics> = {};
  const yearly: Record<string, Record<string, EvaluationMetrics>> = {};
  const origins: Record<string, number> = {};
  for (const h of horizons) {
    const list = scored.get(h) ?? [];
    metrics[String(h)] = evaluationMetrics(list, h);
    origins[String(h)] = list.length;
    const byYear = new Map<string, ScoredForecast[]>();
    for (const f of list) {
      const year = (days[f.origin] ?? '').slice(0, 4);
      const group = byYear.get(year);
      if (group) group.push(f);
      else byYear.set(year, [f]);
    }
    for (const [year, group] of byYear) {
      yearly[year] ??= {};
      (yearly[year] as Record<string, EvaluationMetrics>)[String(h)] = evaluationMetrics(group, h);
    }
  }
  const score = horizons.reduce((s, h) => s + (metrics[String(h)]?.maeRatio ?? 0), 0) / horizons.length;
  return { metrics, yearly, origins, score };
}

/**
 * For a scored origin index t: the last index of the data to refit on before forecasting at t, or null.
 * Every K origins: data through the origin. Yearly: at the first scored origin and every first origin of a
 * calendar year, on data through the day before, so each year is forecast by models fitted on earlier years.
 */
export function refitSchedule(
  schedule: RetrainSchedule,
  days: readonly string[],
  scoreFrom: number,
): (t: number) => number | null {
  if (schedule === 'yearly') {
    return (t) => (t === scoreFrom || days[t]?.slice(0, 4) !== days[t - 1]?.slice(0, 4) ? t - 1 : null);
  }
  return (t) => ((t - scoreFrom) % schedule === 0 ? t : null);
}

/** Lowest mean MAE ratio among out-of-sample results; on a tie the simpler model (earlier in MODEL_NAMES). */
export function pickDefault(results: readonly BacktestModelResult[]): string {
  const rank = (name: string) => {
    const i = (MODEL_NAMES as readonly string[]).indexOf(name);
    return i < 0 ? MODEL_NAMES.length : i;
  };
  const models = results.filter((r) => r.kind !== 'anchor');
  const eligible = models.filter((r) => !r.inSample);
  const pool = eligible.length ? eligible : models;
  const best = [...pool].sort((a, b) => a.score - b.score || rank(a.name) - rank(b.name))[0];
  return best?.name ?? 'naive';
}
