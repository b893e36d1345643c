import { ForecastError } from '../errors.ts';
import { createDriftModel } from '../models/drift.ts';
import { createEnsembleModel } from '../models/ensemble.ts';
import { createNaiveModel } from '../models/naive.ts';
import { createNeuralModel } from '../models/neural.ts';
import type { PointModel } from '../models/point-model.ts';
import { createThetaModel } from '../models/theta.ts';
import { readRnnArtifacts } from '../neural/rnn-artifacts.ts';
import type { ModelMetadata } from './metadata.ts';

/** Builds the runnable model a metadata file describes; ensembles need their members already built. */
export async function buildPointModel(
  metadata: ModelMetadata,
  /** the model's folder; null for a folder held in memory, which cannot hold network weights */
  dir: string | null,
  members: (name: string) => PointModel | undefined,
): Promise<PointModel> {
  switch (metadata.name) {
    case 'naive':
      return createNaiveModel(metadata.maxHorizon);
    case 'drift':
      return createDriftModel(metadata.window, metadata.maxHorizon);
    case 'theta':
      return createThetaModel(metadata.window, metadata.maxHorizon);
    case 'lstm':
    case 'gru': {
      if (dir === null)
        throw new ForecastError('CORRUPT_MODEL', `model ${metadata.id}: its weights are not in a folder`);
      const network = await readRnnArtifacts(dir, metadata.name);
      const scaling = metadata.features.scaling;
      if (!scaling) throw new ForecastError('CORRUPT_MODEL', `model ${metadata.id} has no scaling`);
      if (network.outputs < metadata.maxHorizon || network.layers[0]?.inputDim !== 1) {
        throw new ForecastError(
          'CORRUPT_MODEL',
          `model ${metadata.id}: network shape does not match metadata`,
        );
      }
      return createNeuralModel({
        name: metadata.name,
        window: metadata.window,
        maxHorizon: metadata.maxHorizon,
        scaling,
        network,
      });
    }
    case 'ensemble': {
      const resolved = (metadata.members ?? []).map((name) => {
        const member = members(name);
        if (!member) {
          throw new ForecastError(
            'CORRUPT_MODEL',
            `ensemble ${metadata.id} needs member '${name}', which is not loaded`,
          );
        }
        return member;
      });
      return createEnsembleModel(resolved, metadata.maxHorizon);
    }
  }
}
