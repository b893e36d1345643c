import { dataHash } from '../data/data-hash.ts';
import type { WalkForwardScaleModel } from '../intervals/scale-models.ts';
import type { ModelName, PointModel } from '../models/point-model.ts';
import { METADATA_SCHEMA_VERSION, type ModelMetadata, modelId, modelVersion } from '../registry/metadata.ts';
import type { DailyBar } from '../types.ts';
import { calibrateAtEnd } from './calibrate.ts';

/** How a model is described in its metadata.json, beside its calibration. */
export interface ModelRecipe {
  model: PointModel;
  hyperparameters: ModelMetadata['hyperparameters'];
  features: ModelMetadata['features'];
  /** training fields beyond the range and its hash (neural: seed, epochs, samples) */
  training?: Partial<ModelMetadata['training']>;
  members?: ModelName[];
}

/** The training range a model folder names: first and last day, rows and the hash of the exact data. */
export function trainingRange(bars: readonly DailyBar[]): ModelMetadata['training'] {
  const first = bars[0];
  const last = bars[bars.length - 1];
  if (!first || !last) throw new Error('no training data');
  return { from: first.day, through: last.day, rows: bars.length, dataHash: dataHash(bars), seed: null };
}

/**
 * The metadata of a trained model: its recipe, calibrated at the end of the training range with the shipped
 * band method (calibrateAtEnd), no backtest recorded yet and not the default. Shared by `pnpm train`
 * (trainModel, which writes the folder) and the per-symbol build (buildSymbolModels, in memory).
 */
export async function calibratedMetadata(options: {
  name: ModelName;
  symbol: string;
  bars: readonly DailyBar[];
  closes: Float64Array;
  recipe: ModelRecipe;
  createdAt?: Date;
  /** the walk-forward scales to calibrate on (one series' GARCH fits shared across its models) */
  scaleModel?: WalkForwardScaleModel;
}): Promise<ModelMetadata> {
  const { name, symbol, closes, recipe } = options;
  const { model } = recipe;
  if (closes.length < model.minHistory + model.maxHorizon + 20) {
    throw new Error(`${name} needs more history to train and calibrate: got ${closes.length} days`);
  }
  const range = trainingRange(options.bars);
  const calibration = await calibrateAtEnd(model, closes, options.scaleModel);
  return {
    schemaVersion: METADATA_SCHEMA_VERSION,
    id: modelId(symbol, name),
    name,
    kind: model.kind,
    symbol,
    window: model.window,
    maxHorizon: model.maxHorizon,
    minHistory: model.minHistory,
    version: modelVersion(range.through, range.dataHash),
    features: recipe.features,
    training: { ...range, ...recipe.training },
    hyperparameters: recipe.hyperparameters,
    ...(recipe.members ? { members: recipe.members } : {}),
    calibration,
    backtest: null,
    isDefault: false,
    createdAt: (options.createdAt ?? new Date()).toISOString(),
  };
}

/** The text of models/<id>/metadata.json, byte for byte as `pnpm train` writes it. */
export function metadataFileText(metadata: ModelMetadata): string {
  return `${JSON.stringify(metadata, null, 2)}\n`;
}
