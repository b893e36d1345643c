import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { dataHash } from '../data/data-hash.ts';
import { validateHistory } from '../data/validate-history.ts';
import { createDriftModel, DRIFT_WINDOW } from '../models/drift.ts';
import { createEnsembleModel } from '../models/ensemble.ts';
import { createNaiveModel } from '../models/naive.ts';
import { createNeuralModel } from '../models/neural.ts';
import { DEFAULT_MAX_HORIZON, type ModelName, type PointModel } from '../models/point-model.ts';
import { createThetaModel, THETA_WINDOW } from '../models/theta.ts';
import { readRnnArtifacts } from '../neural/rnn-artifacts.ts';
import {
  DEFAULT_RNN_HYPERPARAMETERS,
  type EpochReport,
  type RnnHyperparameters,
  trainRnn,
} from '../neural/train-rnn.ts';
import { loadModels } from '../registry/load-registry.ts';
import { METADATA_SCHEMA_VERSION, type ModelMetadata, modelId, modelVersion } from '../registry/metadata.ts';
import type { DailyBar } from '../types.ts';
import { calibrateAtEnd } from './calibrate.ts';

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
  const first = bars[0];
  const last = bars[bars.length - 1];
  if (!first || !last) throw new Error('no training data');
  const id = modelId(symbol, name);
  const dir = path.join(modelsDir, id);
  const hash = dataHash(bars);
  const seed = options.seed ?? DEFAULT_RNN_HYPERPARAMETERS.seed;
  // Neural weights are written to a staging folder and moved into place at the end, so a half-trained
  // folder is never visible to a registry loading the same models dir.
  const staging = `${dir}.partial`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });

  let model: PointModel;
  let hyperparameters: ModelMetadata['hyperparameters'] = {};
  let features: ModelMetadata['features'] = {
    input: 'close',
    target: 'log price change from the last close, h = 1..maxHorizon',
    scaling: null,
  };
  let training: ModelMetadata['training'] = {
    from: first.day,
    through: last.day,
    rows: bars.length,
    dataHash: hash,
    seed: null,
  };
  let members: ModelName[] | undefined;

  switch (name) {
    case 'naive':
      model = createNaiveModel();
      break;
    case 'drift':
      model = createDriftModel();
      hyperparameters = { driftWindow: DRIFT_WINDOW };
      features = { ...features, input: `log returns of the last ${DRIFT_WINDOW} days (mean only)` };
      break;
    case 'theta':
      model = createThetaModel();
      hyperparameters = { fitWindow: THETA_WINDOW, theta: 2, alphaGrid: '0.05..1.00 step 0.05' };
      features = {
        ...features,
        input: `log closes of the last ${THETA_WINDOW} days, refitted at every origin`,
      };
      break;
    case 'lstm':
    case 'gru': {
      const hp: RnnHyperparameters = { ...DEFAULT_RNN_HYPERPARAMETERS, ...options.rnn, cell: name, seed };
      const trained = await trainRnn(closes, hp, options.onEpoch);
      await writeFile(path.join(staging, 'model.json'), `${JSON.stringify(trained.modelJson)}\n`);
      await writeFile(path.join(staging, 'weights.bin'), trained.weightsBin);
      // Build from the files just written, so what ships is exactly what gets calibrated.
      model = createNeuralModel({
        name,
        window: hp.window,
        maxHorizon: hp.maxHorizon,
        scaling: trained.scaling,
        network: await readRnnArtifacts(staging, name),
      });
      hyperparameters = { ...hp, layers: 2, loss: 'mse', optimizer: 'adam', recurrentActivation: 'sigmoid' };
      features = {
        input: `last ${hp.window} daily log returns, standardized with training-window mean/std`,
        target: `cumulative log return to h = 1..${hp.maxHorizon}, standardized by h·mean and std·√h`,
        scaling: trained.scaling,
      };
      training = {
        ...training,
        seed,
        bestEpoch: trained.bestEpoch,
        epochs: trained.epochs.map(({ improved: _improved, ...e }) => e),
        trainSamples: trained.trainSamples,
        validationSamples: trained.validationSamples,
        validationFrom: bars[trained.validationStart]?.day ?? last.day,
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
      members = found.map((f) => f.member);
      model = createEnsembleModel(
        found.map((f) => f.model),
        DEFAULT_MAX_HORIZON,
      );
      hyperparameters = { combine: 'median of member log-price forecasts', members };
      features = { ...features, input: 'member forecasts' };
      break;
    }
  }

  if (closes.length < model.minHistory + model.maxHorizon + 20) {
    throw new Error(`${name} needs more history to train and calibrate: got ${closes.length} days`);
  }
  const calibration = await calibrateAtEnd(model, closes);
  const metadata: ModelMetadata = {
    schemaVersion: METADATA_SCHEMA_VERSION,
    id,
    name,
    kind: model.kind,
    symbol,
    window: model.window,
    maxHorizon: model.maxHorizon,
    minHistory: model.minHistory,
    version: modelVersion(last.day, hash),
    features,
    training,
    hyperparameters,
    ...(members ? { members } : {}),
    calibration,
    backtest: null,
    isDefault: false,
    createdAt: new Date().toISOString(),
  };
  await writeFile(path.join(staging, 'metadata.json'), `${JSON.stringify(metadata, null, 2)}\n`);
  await rm(dir, { recursive: true, force: true });
  await rename(staging, dir);
  return metadata;
}
