export { horizonMetrics } from './backtest/metrics.ts';
export type {
  BacktestModel,
  BacktestModelResult,
  BacktestOptions,
  BacktestReport,
} from './backtest/run-backtest.ts';
export { backtest, pickDefault } from './backtest/run-backtest.ts';
export type { ScoredForecast, WalkForwardOptions } from './backtest/walk-forward.ts';
export { walkForward } from './backtest/walk-forward.ts';
export { type AnchorArtifact, forecastAnchorBands } from './build/anchor-artifact.ts';
export {
  type BuildSymbolModelsOptions,
  buildSymbolModels,
  type SymbolHistoryTooShort,
  type SymbolModelsBuild,
  type SymbolModelsBuilt,
} from './build/build-symbol-models.ts';
export {
  BUILD_BACKTEST_DAYS,
  BUILD_BACKTEST_HORIZONS,
  MIN_BUILD_HISTORY,
  MIN_TRAINING_DAYS,
} from './build/min-history.ts';
export { artifactContentHash, type ModelArtifact } from './build/model-artifact.ts';
export { compareSymbols, PRIMARY_SYMBOL, sortBySymbol } from './data/symbol-order.ts';
export { validateHistory } from './data/validate-history.ts';
export type { ForecastErrorCode } from './errors.ts';
export { ForecastError } from './errors.ts';
export type { CalibrationJson, HorizonQuantiles } from './intervals/calibration-types.ts';
export { AdaptiveConformal, aciStep } from './intervals/conformal.ts';
export type { LiveOutcome } from './intervals/live-calibration.ts';
export {
  advanceCalibration,
  baselineCalibration,
  LIVE_ACI_GAMMA,
  meanBandWidth,
  normalQuantile,
} from './intervals/live-calibration.ts';
export { conformalIntervals } from './intervals/stored-bands.ts';
export { ewmaVolatility } from './intervals/volatility.ts';
export type { ModelName, PointModel } from './models/point-model.ts';
export { MODEL_NAMES } from './models/point-model.ts';
export { findModelsDir } from './registry/find-models-dir.ts';
export { loadModelArtifacts, type ModelFolderFiles } from './registry/load-artifacts.ts';
export type { LoadedModel, ModelRegistry } from './registry/load-registry.ts';
export { createRegistry, loadModels, loadRegistry } from './registry/load-registry.ts';
export type { ModelMetadata } from './registry/metadata.ts';
export type { TrainModelOptions } from './training/train-model.ts';
export { trainModel } from './training/train-model.ts';
export type { DailyBar, ForecastPoint, HorizonMetrics, ModelInfo } from './types.ts';
