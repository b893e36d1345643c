import { withRecordedBacktest } from '../backtest/recorded-backtest.ts';
import { type BacktestModel, backtest } from '../backtest/run-backtest.ts';
import { validateHistory } from '../data/validate-history.ts';
import { ForecastError } from '../errors.ts';
import { ANCHOR_NAMES, GARCH_REFIT_EVERY } from '../intervals/anchor-bands.ts';
import {
  DEFAULT_EWMA_SCALE_WEIGHT,
  DEFAULT_SCALE_METHOD,
  walkForwardScales,
} from '../intervals/scale-models.ts';
import { EWMA_LAMBDA } from '../intervals/volatility.ts';
import { modelId, modelVersion } from '../registry/metadata.ts';
import { BASELINE_NAMES, type BaselineName, baselineRecipe } from '../training/baseline-recipes.ts';
import { calibratedMetadata, trainingRange } from '../training/calibrated-metadata.ts';
import type { DailyBar } from '../types.ts';
import { type AnchorArtifact, anchorArtifact } from './anchor-artifact.ts';
import { BUILD_BACKTEST_DAYS, BUILD_BACKTEST_HORIZONS, MIN_BUILD_HISTORY } from './min-history.ts';
import { type ModelArtifact, modelArtifact } from './model-artifact.ts';

/** BASE-QUOTE, as the prices table accepts it (ETH-USD, 1INCH-USDT). */
const SYMBOL_PATTERN = /^[A-Z0-9]{2,10}-[A-Z]{2,10}$/;

export interface BuildSymbolModelsOptions {
  /** written as every artifact's createdAt (default: now); not part of the content hashes */
  createdAt?: Date;
  /** progress of the long steps: each model's calibration, then the backtest's walk-forwards */
  onProgress?: (step: string, done: number, total: number) => void;
}

export interface SymbolModelsBuilt {
  status: 'built';
  symbol: string;
  /** the history every artifact was calibrated on */
  training: { from: string; through: string; rows: number; dataHash: string };
  /** the recorded backtest: models trained through the day before `from`, scored on from..to */
  backtest: { from: string; to: string; modelsTrainedThrough: string; horizons: readonly number[] };
  /** the model with the lowest mean MAE ratio to persistence (pickDefault), flagged isDefault in its metadata */
  defaultModel: BaselineName;
  /** naive, drift, theta: model folders as the registry loads them */
  models: ModelArtifact[];
  /** ewma-normal and garch-t: their fit and their recorded backtest */
  anchors: AnchorArtifact[];
}

export interface SymbolHistoryTooShort {
  status: 'history-too-short';
  symbol: string;
  /** consecutive daily closes given */
  days: number;
  /** MIN_BUILD_HISTORY */
  required: number;
  /** days still to wait for (required − days) */
  missingDays: number;
}

export type SymbolModelsBuild = SymbolModelsBuilt | SymbolHistoryTooShort;

/**
 * Builds a symbol's baselines (naive, drift, theta) from its daily closes the way `pnpm train`, `pnpm
 * backtest --record-to` and the default rule build them for the shipped symbols, in memory:
 *
 * 1. each baseline is calibrated at the end of the whole history with the shipped band method
 *    (calibratedMetadata, the code path of `pnpm train`): conformal scores of its own walk-forward residuals
 *    on GARCH-t/EWMA scales fitted on the symbol's returns, blended with both anchors;
 * 2. the backtest scores the last BUILD_BACKTEST_DAYS days with models trained through the day before (the
 *    baselines refit at every origin, so only their calibration depends on it, and the walk-forward
 *    recalibrates online from the first day), beside both anchor band models, at horizons 1, 7 and 30;
 * 3. each model records its metrics and the default is pickDefault's (withRecordedBacktest, the code
 *    path of `--record-to`).
 *
 * History shorter than MIN_BUILD_HISTORY is answered with how many days are missing, not an error. Bad
 * history (gaps, unsorted days, non-positive closes) throws BAD_HISTORY, an invalid symbol BAD_SYMBOL.
 */
export async function buildSymbolModels(
  symbol: string,
  history: readonly DailyBar[],
  options: BuildSymbolModelsOptions = {},
): Promise<SymbolModelsBuild> {
  if (typeof symbol !== 'string' || !SYMBOL_PATTERN.test(symbol)) {
    throw new ForecastError('BAD_SYMBOL', `symbol must look like ETH-USD, got '${String(symbol)}'`, {
      symbol,
    });
  }
  const createdAt = options.createdAt ?? new Date();
  if (!(createdAt instanceof Date) || Number.isNaN(createdAt.getTime()))
    throw new RangeError('createdAt must be a valid date');
  if (!Array.isArray(history)) throw new ForecastError('BAD_HISTORY', 'history must be a list of daily bars');
  const closes = validateHistory(history);
  if (closes.length < MIN_BUILD_HISTORY) {
    return {
      status: 'history-too-short',
      symbol,
      days: closes.length,
      required: MIN_BUILD_HISTORY,
      missingDays: MIN_BUILD_HISTORY - closes.length,
    };
  }
  const bars = history.map((b) => ({ day: b.day, close: b.close }));
  // one GARCH-t scale series for every calibration and the backtest: memoized by history length, so each
  // model gets exactly the scales a fresh one would give it, and the GARCH refits run once
  const scaleModel = walkForwardScales(DEFAULT_SCALE_METHOD, GARCH_REFIT_EVERY, DEFAULT_EWMA_SCALE_WEIGHT);
  const steps = BASELINE_NAMES.length + 1;

  const calibrated = [];
  for (const [i, name] of BASELINE_NAMES.entries()) {
    options.onProgress?.(`calibrate ${name}`, i, steps);
    calibrated.push(
      await calibratedMetadata({
        name,
        symbol,
        bars,
        closes,
        recipe: baselineRecipe(name),
        createdAt,
        scaleModel,
      }),
    );
  }

  const fromIndex = bars.length - BUILD_BACKTEST_DAYS;
  const trainedThrough = (bars[fromIndex - 1] as DailyBar).day;
  const oosRange = trainingRange(bars.slice(0, fromIndex));
  const models: BacktestModel[] = BASELINE_NAMES.map((name) => ({
    name,
    id: modelId(symbol, name),
    version: modelVersion(trainedThrough, oosRange.dataHash),
    trainedThrough,
    learnsFromTraining: false,
    model: baselineRecipe(name).model,
  }));
  const from = (bars[fromIndex] as DailyBar).day;
  const to = (bars[bars.length - 1] as DailyBar).day;
  options.onProgress?.('backtest', BASELINE_NAMES.length, steps);
  const report = await backtest({
    bars,
    from,
    to,
    horizons: [...BUILD_BACKTEST_HORIZONS],
    models,
    anchors: ANCHOR_NAMES,
    scaleModel,
  });
  options.onProgress?.('backtest', steps, steps);
  const command = `buildSymbolModels ${symbol}: trained through ${trainedThrough}, walk-forward ${from} → ${to}, horizons ${BUILD_BACKTEST_HORIZONS.join(',')}`;
  const recorded = calibrated.map((m) => withRecordedBacktest(m, report, command));

  const range = trainingRange(bars);
  const garch = recorded[0]?.calibration.garch;
  if (!garch) throw new Error(`${symbol}: the calibration fitted no GARCH parameters`);
  const anchors = ANCHOR_NAMES.map((name) => {
    const result = report.models.find((r) => r.kind === 'anchor' && r.name === name);
    if (!result) throw new Error(`the backtest scored no ${name} anchor`);
    return anchorArtifact({
      name,
      symbol,
      parameters: name === 'garch-t' ? { garch } : { ewmaLambda: EWMA_LAMBDA },
      training: range,
      backtest: {
        from: report.from,
        to: report.to,
        command,
        modelsTrainedThrough: null,
        metrics: result.metrics,
        score: result.score,
      },
    });
  });
  return {
    status: 'built',
    symbol,
    training: { from: range.from, through: range.through, rows: range.rows, dataHash: range.dataHash },
    backtest: {
      from: report.from,
      to: report.to,
      modelsTrainedThrough: trainedThrough,
      horizons: BUILD_BACKTEST_HORIZONS,
    },
    defaultModel: report.defaultModel as BaselineName,
    models: recorded.map(modelArtifact),
    anchors,
  };
}
