import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { validateHistory } from '../data/validate-history.ts';
import { createEnsembleModel } from '../models/ensemble.ts';
import { createNeuralModel } from '../models/neural.ts';
import { DEFAULT_MAX_HORIZON, type ModelName } from '../models/point-model.ts';
import { readRnnArtifacts } from '../neural/rnn-artifacts.ts';
import {
  DEFAULT_RNN_HYPERPARAMETERS,
  type EpochReport,
  type RnnHyperparameters,
  trainRnn,
} from '../neural/train-rnn.ts';
import { loadModels } from '../registry/load-registry.ts';
import { type ModelMetadata, modelId } from '../registry/metadata.ts';
import type { DailyBar } from '../types.ts';
import { baselineRecipe } from './baseline-recipes.ts';
import { calibratedMetadata, type ModelRecipe, metadataFileText } from './calibrated-metadata.ts';

/** Members of the ensemble, when present for the symbol. */
export const ENSEMBLE_MEMBERS: ModelName[] = ['naive', 'drift', 'theta', 'lstm', 'gru'];

export interface TrainModelOptions {
  name: ModelName;
  symbol: string;
  /** the whole training range, nothing after it */
  bars: DailyBar[];
  /** folder that receives models/<id>/ */
  modelsDir: string;
  seed?: number;
  /** neural overrides (tests use tiny networks) */
  rnn?: Partial<Omit<RnnHyperparameters, 'cell' | 'seed'>>;
  onEpoch?: (report: EpochReport) => void;
}

/** Trains (or, for baselines, just calibrates) one model and writes its folder. */
export async function trainModel(options: TrainModelOptions): Promise<ModelMetadata> {
  const { name, symbol, bars, modelsDir } = options;
  const closes = validateHistory(bars);
  const last = bars[bars.length - 1];
  if (!last) throw new Error('no training data');
  const dir = path.join(modelsDir, modelId(symbol, name));
  const seed = options.seed ?? DEFAULT_RNN_HYPERPARAMETERS.seed;
  // Neural weights are written to a staging folder and moved into place at the end, so a half-trained
  // folder is never visible to a registry loading the same models dir.
  const staging = `${dir}.partial`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });

  let recipe: ModelRecipe;
  switch (name) {
    case 'naive':
    case 'drift':
    case 'theta':
      recipe = baselineRecipe(name);
      break;
    case 'lstm':
    case 'gru': {
      const hp: RnnHyperparameters = { ...DEFAULT_RNN_HYPERPARAMETERS, ...options.rnn, cell: name, seed };
      const trained = await trainRnn(closes, hp, options.onEpoch);
      await writeFile(path.join(staging, 'model.json'), `${JSON.stringify(trained.modelJson)}\n`);
      await writeFile(path.join(staging, 'weights.bin'), trained.weightsBin);
      recipe = {
        // Build from the files just written, so what ships is exactly what gets calibrated.
        model: createNeuralModel({
          name,
          window: hp.window,
          maxHorizon: hp.maxHorizon,
          scaling: trained.scaling,
          network: await readRnnArtifacts(staging, name),
        }),
        hyperparameters: { ...hp, layers: 2, loss: 'mse', optimizer: 'adam', recurrentActivation: 'sigmoid' },
        features: {
          input: `last ${hp.window} daily log returns, standardized with training-window mean/std`,
          target: `cumulative log return to h = 1..${hp.maxHorizon}, standardized by h·mean and std·√h`,
          scaling: trained.scaling,
        },
        training: {
          seed,
          bestEpoch: trained.bestEpoch,
          epochs: trained.epochs.map(({ improved: _improved, ...e }) => e),
          trainSamples: trained.trainSamples,
          validationSamples: trained.validationSamples,
          validationFrom: bars[trained.validationStart]?.day ?? last.day,
        },
      };
      break;
    }
    case 'ensemble': {
      // only the members: the ensemble's own folder may be stale or mid-rewrite
      const loaded = await loadModels(modelsDir, { symbol, names: ENSEMBLE_MEMBERS });
      const found = ENSEMBLE_MEMBERS.flatMap((member) => {
        const l = loaded.find((x) => x.info.name === member);
        return l ? [{ member, model: l.model }] : [];
      });
      const members = found.map((f) => f.member);
      recipe = {
        model: createEnsembleModel(
          found.map((f) => f.model),
          DEFAULT_MAX_HORIZON,
        ),
        hyperparameters: { combine: 'median of member log-price forecasts', members },
        features: {
          input: 'member forecasts',
          target: 'log price change from the last close, h = 1..maxHorizon',
          scaling: null,
        },
        members,
      };
      break;
    }
  }

  const metadata = await calibratedMetadata({ name, symbol, bars, closes, recipe });
  await writeFile(path.join(staging, 'metadata.json'), metadataFileText(metadata));
  await rm(dir, { recursive: true, force: true });
  await rename(staging, dir);
  return metadata;
}
