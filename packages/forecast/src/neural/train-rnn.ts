import type * as tfTypes from '@tensorflow/tfjs';
import { fitReturnScaling, inputWindow, type ReturnScaling, targetVector } from './features.ts';
import { HEAD_LAYER_NAME, RNN_LAYER_NAMES } from './rnn-artifacts.ts';
import type { CellType } from './rnn-forward.ts';
import { seededRandom, shuffleInPlace } from './seeded-random.ts';
import { loadTf } from './tfjs-backend.ts';

export interface RnnHyperparameters {
  cell: CellType;
  /** legacy architecture family: 2 recurrent layers × 50 units over a 60-day window */
  units: number;
  window: number;
  maxHorizon: number;
  maxEpochs: number;
  batchSize: number;
  learningRate: number;
  /** epochs without validation improvement before stopping */
  patience: number;
  /** origins at the end of the training range held out for early stopping (and later for calibration) */
  validationDays: number;
  seed: number;
}

export const DEFAULT_RNN_HYPERPARAMETERS: Omit<RnnHyperparameters, 'cell'> = {
  units: 50,
  window: 60,
  maxHorizon: 30,
  maxEpochs: 12,
  batchSize: 128,
  learningRate: 1e-3,
  patience: 3,
  validationDays: 365,
  seed: 42,
};

export interface EpochReport {
  epoch: number;
  loss: number;
  valLoss: number;
  seconds: number;
  improved: boolean;
}

export interface TrainedRnn {
  modelJson: Record<string, unknown>;
  weightsBin: Uint8Array;
  scaling: ReturnScaling;
  epochs: EpochReport[];
  bestEpoch: number;
  trainSamples: number;
  validationSamples: number;
  /** first origin index of the validation split, relative to the closes passed in */
  validationStart: number;
}

/**
 * Splits origins into train and validation. Validation is the last `validationDays` origins whose targets
 * are still inside the range; training origins stop maxHorizon days before it so no training target
 * overlaps the validation period.
 */
export function splitOrigins(
  n: number,
  hp: Pick<RnnHyperparameters, 'window' | 'maxHorizon' | 'validationDays'>,
) {
  const firstOrigin = hp.window;
  const lastOrigin = n - 1 - hp.maxHorizon;
  const validationStart = Math.max(firstOrigin + 1, lastOrigin - hp.validationDays + 1);
  const lastTrainOrigin = validationStart - hp.maxHorizon;
  if (lastTrainOrigin - firstOrigin < 10) {
    throw new Error(
      `not enough history to train: ${n} days leaves ${Math.max(0, lastTrainOrigin - firstOrigin + 1)} training samples`,
    );
  }
  return { firstOrigin, lastTrainOrigin, validationStart, lastOrigin };
}

function buildTensors(
  tf: typeof tfTypes,
  closes: Float64Array,
  origins: number[],
  hp: RnnHyperparameters,
  scaling: ReturnScaling,
): { x: tfTypes.Tensor3D; y: tfTypes.Tensor2D } {
  const xs = new Float32Array(origins.length * hp.window);
  const ys = new Float32Array(origins.length * hp.maxHorizon);
  origins.forEach((origin, i) => {
    inputWindow(closes, origin, hp.window, scaling, xs.subarray(i * hp.window, (i + 1) * hp.window));
    targetVector(
      closes,
      origin,
      hp.maxHorizon,
      scaling,
      ys.subarray(i * hp.maxHorizon, (i + 1) * hp.maxHorizon),
    );
  });
  return {
    x: tf.tensor3d(xs, [origins.length, hp.window, 1]),
    y: tf.tensor2d(ys, [origins.length, hp.maxHorizon]),
  };
}

export function buildRnn(tf: typeof tfTypes, hp: RnnHyperparameters): tfTypes.Sequential {
  const model = tf.sequential();
  const make = hp.cell === 'lstm' ? tf.layers.lstm : tf.layers.gru;
  RNN_LAYER_NAMES.forEach((name, i) => {
    model.add(
      make({
        name,
        units: hp.units,
        returnSequences: i < RNN_LAYER_NAMES.length - 1,
        // tfjs defaults to hardSigmoid; the plain sigmoid is what the hand-written forward pass implements
        recurrentActivation: 'sigmoid',
        kernelInitializer: tf.initializers.glorotUniform({ seed: hp.seed + i * 3 }),
        recurrentInitializer: tf.initializers.orthogonal({ seed: hp.seed + i * 3 + 1 }),
        ...(i === 0 ? { inputShape: [hp.window, 1] } : {}),
      }),
    );
  });
  model.add(
    tf.layers.dense({
      name: HEAD_LAYER_NAME,
      units: hp.maxHorizon,
      kernelInitializer: tf.initializers.glorotUniform({ seed: hp.seed + 100 }),
    }),
  );
  model.compile({ optimizer: tf.train.adam(hp.learningRate), loss: 'meanSquaredError' });
  return model;
}

export async function serializeRnn(
  model: tfTypes.LayersModel,
): Promise<{ modelJson: Record<string, unknown>; weightsBin: Uint8Array }> {
  const tf = await loadTf();
  let result: { modelJson: Record<string, unknown>; weightsBin: Uint8Array } | null = null;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const data = artifacts.weightData;
      const parts = data === undefined ? [] : Array.isArray(data) ? data : [data];
      const weightsBin = Buffer.concat(parts.map((p) => Buffer.from(p)));
      result = {
        modelJson: {
          format: 'layers-model',
          generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
          convertedBy: null,
          modelTopology: artifacts.modelTopology,
          weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs ?? [] }],
        },
        weightsBin: new Uint8Array(weightsBin),
      };
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!result) throw new Error('tfjs did not hand over the model artifacts');
  return result;
}

/**
 * Trains a 2-layer RNN with a direct multi-horizon head on `closes` (the whole training range, nothing
 * after it). Deterministic for a seed: seeded initializers, seeded shuffling, no dropout.
 */
export async function trainRnn(
  closes: Float64Array,
  hp: RnnHyperparameters,
  onEpoch?: (report: EpochReport) => void,
): Promise<TrainedRnn> {
  const tf = await loadTf();
  const split = splitOrigins(closes.length, hp);
  // Scaling from the training window only: the closes passed in end at the last training day.
  const scaling = fitReturnScaling(closes, closes.length - 1);
  const trainOrigins: number[] = [];
  for (let t = split.firstOrigin; t <= split.lastTrainOrigin; t++) trainOrigins.push(t);
  const validationOrigins: number[] = [];
  for (let t = split.validationStart; t <= split.lastOrigin; t++) validationOrigins.push(t);

  const random = seededRandom(hp.seed);
  const validation = buildTensors(tf, closes, validationOrigins, hp, scaling);
  const model = buildRnn(tf, hp);
  const epochs: EpochReport[] = [];
  let best = { loss: Number.POSITIVE_INFINITY, epoch: 0, weights: model.getWeights().map((w) => w.clone()) };
  try {
    for (let epoch = 1; epoch <= hp.maxEpochs; epoch++) {
      const started = performance.now();
      const order = shuffleInPlace([...trainOrigins], random);
      const train = buildTensors(tf, closes, order, hp, scaling);
      const fit = await model.fit(train.x, train.y, {
        batchSize: hp.batchSize,
        epochs: 1,
        shuffle: false,
        verbose: 0,
      });
      train.x.dispose();
      train.y.dispose();
      const evaluated = model.evaluate(validation.x, validation.y, { batchSize: 512 }) as tfTypes.Scalar;
      const valLoss = (await evaluated.data())[0] as number;
      evaluated.dispose();
      const loss = fit.history.loss?.[0] as number;
      const improved = valLoss < best.loss;
      if (improved) {
        for (const w of best.weights) w.dispose();
        best = { loss: valLoss, epoch, weights: model.getWeights().map((w) => w.clone()) };
      }
      const report = { epoch, loss, valLoss, seconds: (performance.now() - started) / 1000, improved };
      epochs.push(report);
      onEpoch?.(report);
      if (epoch - best.epoch >= hp.patience) break;
    }
    model.setWeights(best.weights);
    const artifacts = await serializeRnn(model);
    return {
      ...artifacts,
      scaling,
      epochs,
      bestEpoch: best.epoch,
      trainSamples: trainOrigins.length,
      validationSamples: validationOrigins.length,
      validationStart: split.validationStart,
    };
  } finally {
    for (const w of best.weights) w.dispose();
    validation.x.dispose();
    validation.y.dispose();
    model.dispose();
  }
}
