import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ForecastError } from '../errors.ts';
import type { CellType, RecurrentLayerWeights, RnnNetwork } from './rnn-forward.ts';

/** Layer names used when training, so weights can be found by name in model.json. */
export const RNN_LAYER_NAMES = ['rnn1', 'rnn2'] as const;
export const HEAD_LAYER_NAME = 'head';

interface WeightSpec {
  name: string;
  shape: number[];
  dtype: string;
}

interface ModelJson {
  weightsManifest: { paths: string[]; weights: WeightSpec[] }[];
}

function corrupt(dir: string, reason: string): ForecastError {
  return new ForecastError('CORRUPT_MODEL', `model artifact in ${dir} is corrupt: ${reason}`, { dir });
}

/**
 * Reads model.json + weights.bin written by tfjs (layers format) without loading tfjs: the serving path
 * only needs the raw Float32 tensors for the hand-written forward pass.
 */
export async function readRnnArtifacts(dir: string, cell: CellType): Promise<RnnNetwork> {
  let modelJson: ModelJson;
  try {
    modelJson = JSON.parse(await readFile(path.join(dir, 'model.json'), 'utf8')) as ModelJson;
  } catch (error) {
    throw corrupt(dir, `cannot read model.json (${(error as Error).message})`);
  }
  const manifest = modelJson.weightsManifest;
  if (!Array.isArray(manifest) || manifest.length === 0)
    throw corrupt(dir, 'model.json has no weightsManifest');
  const tensors = new Map<string, { shape: number[]; values: Float32Array }>();
  for (const group of manifest) {
    const buffers: Buffer[] = [];
    for (const p of group.paths ?? []) {
      try {
        buffers.push(await readFile(path.join(dir, p)));
      } catch (error) {
        throw corrupt(dir, `cannot read ${p} (${(error as Error).message})`);
      }
    }
    const bytes = Buffer.concat(buffers);
    let offset = 0;
    for (const spec of group.weights ?? []) {
      if (spec.dtype !== 'float32') throw corrupt(dir, `weight ${spec.name} has dtype ${spec.dtype}`);
      const count = spec.shape.reduce((a, b) => a * b, 1);
      const byteLength = count * 4;
      if (offset + byteLength > bytes.length) throw corrupt(dir, `weights.bin is too short for ${spec.name}`);
      // copy so the array is aligned regardless of the Buffer pool offset
      const values = new Float32Array(
        bytes.buffer.slice(bytes.byteOffset + offset, bytes.byteOffset + offset + byteLength),
      );
      for (const v of values)
        if (!Number.isFinite(v)) throw corrupt(dir, `weight ${spec.name} contains NaN or Infinity`);
      tensors.set(spec.name, { shape: spec.shape, values });
      offset += byteLength;
    }
    if (offset !== bytes.length)
      throw corrupt(dir, `weights.bin has ${bytes.length - offset} unexpected extra bytes`);
  }

  const find = (layer: string, weight: string): { shape: number[]; values: Float32Array } => {
    for (const [name, tensor] of tensors) {
      if (
        name === `${layer}/${weight}` ||
        name.endsWith(`_${layer}/${weight}`) ||
        name.endsWith(`/${layer}/${weight}`)
      ) {
        return tensor;
      }
    }
    throw corrupt(dir, `missing weight ${layer}/${weight}`);
  };

  const gates = cell === 'lstm' ? 4 : 3;
  const layers: RecurrentLayerWeights[] = RNN_LAYER_NAMES.map((name) => {
    const kernel = find(name, 'kernel');
    const recurrent = find(name, 'recurrent_kernel');
    const bias = find(name, 'bias');
    const [inputDim, width] = kernel.shape;
    const units = (width ?? 0) / gates;
    if (
      inputDim === undefined ||
      !Number.isInteger(units) ||
      recurrent.shape[0] !== units ||
      recurrent.shape[1] !== width ||
      bias.shape[0] !== width
    ) {
      throw corrupt(dir, `layer ${name} has shapes that do not fit a ${cell.toUpperCase()} cell`);
    }
    return { kernel: kernel.values, recurrentKernel: recurrent.values, bias: bias.values, inputDim, units };
  });
  const headKernel = find(HEAD_LAYER_NAME, 'kernel');
  const headBias = find(HEAD_LAYER_NAME, 'bias');
  const lastUnits = layers[layers.length - 1]?.units;
  const outputs = headKernel.shape[1] ?? 0;
  if (headKernel.shape[0] !== lastUnits || headBias.shape[0] !== outputs) {
    throw corrupt(dir, 'dense head shape does not match the recurrent layers');
  }
  return { cell, layers, headKernel: headKernel.values, headBias: headBias.values, outputs };
}
