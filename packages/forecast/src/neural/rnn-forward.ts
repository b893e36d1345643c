/**
 * Hand-written inference for the stacked-RNN networks (2 recurrent layers + dense head) over Float32Array
 * weights in the Keras/tfjs layout. It avoids loading tfjs on the serving path and runs a 60-step
 * forward pass in well under a millisecond; rnn-forward.test.ts proves it matches tfjs within 1e-4.
 */
export type CellType = 'lstm' | 'gru';

export interface RecurrentLayerWeights {
  /** [inputDim, gates·units], row-major */
  kernel: Float32Array;
  /** [units, gates·units], row-major */
  recurrentKernel: Float32Array;
  /** [gates·units] */
  bias: Float32Array;
  inputDim: number;
  units: number;
}

export interface RnnNetwork {
  cell: CellType;
  layers: RecurrentLayerWeights[];
  /** dense head: kernel [units, outputs], bias [outputs] */
  headKernel: Float32Array;
  headBias: Float32Array;
  outputs: number;
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** Runs one recurrent layer over the whole sequence; returns the hidden state sequence [steps, units]. */
function runLayer(
  cell: CellType,
  layer: RecurrentLayerWeights,
  input: Float32Array,
  steps: number,
): Float32Array {
  const { kernel, recurrentKernel, bias, inputDim, units } = layer;
  const gates = cell === 'lstm' ? 4 : 3;
  const width = gates * units;
  const output = new Float32Array(steps * units);
  const h = new Float32Array(units);
  const c = new Float32Array(units);
  const zx = new Float64Array(width);
  const zh = new Float64Array(width);
  const rh = new Float64Array(units);
  for (let t = 0; t < steps; t++) {
    for (let j = 0; j < width; j++) zx[j] = bias[j] as number;
    const xOffset = t * inputDim;
    for (let k = 0; k < inputDim; k++) {
      const xk = input[xOffset + k] as number;
      if (xk === 0) continue;
      const row = k * width;
      for (let j = 0; j < width; j++) zx[j] = (zx[j] as number) + xk * (kernel[row + j] as number);
    }
    if (cell === 'lstm') {
      // gate order i, f, c, o (Keras)
      zh.fill(0);
      for (let k = 0; k < units; k++) {
        const hk = h[k] as number;
        if (hk === 0) continue;
        const row = k * width;
        for (let j = 0; j < width; j++) zh[j] = (zh[j] as number) + hk * (recurrentKernel[row + j] as number);
      }
      for (let u = 0; u < units; u++) {
        const i = sigmoid((zx[u] as number) + (zh[u] as number));
        const f = sigmoid((zx[units + u] as number) + (zh[units + u] as number));
        const g = Math.tanh((zx[2 * units + u] as number) + (zh[2 * units + u] as number));
        const o = sigmoid((zx[3 * units + u] as number) + (zh[3 * units + u] as number));
        const cu = f * (c[u] as number) + i * g;
        c[u] = cu;
        h[u] = o * Math.tanh(cu);
      }
    } else {
      // gate order z, r, h; tfjs applies the reset gate before the recurrent matmul of the candidate
      zh.fill(0);
      for (let k = 0; k < units; k++) {
        const hk = h[k] as number;
        if (hk === 0) continue;
        const row = k * width;
        for (let j = 0; j < 2 * units; j++)
          zh[j] = (zh[j] as number) + hk * (recurrentKernel[row + j] as number);
      }
      const z = new Float64Array(units);
      for (let u = 0; u < units; u++) {
        z[u] = sigmoid((zx[u] as number) + (zh[u] as number));
        const r = sigmoid((zx[units + u] as number) + (zh[units + u] as number));
        rh[u] = r * (h[u] as number);
      }
      const candidate = new Float64Array(units);
      for (let u = 0; u < units; u++) candidate[u] = zx[2 * units + u] as number;
      for (let k = 0; k < units; k++) {
        const v = rh[k] as number;
        if (v === 0) continue;
        const row = k * width + 2 * units;
        for (let u = 0; u < units; u++)
          candidate[u] = (candidate[u] as number) + v * (recurrentKernel[row + u] as number);
      }
      for (let u = 0; u < units; u++) {
        const zu = z[u] as number;
        h[u] = zu * (h[u] as number) + (1 - zu) * Math.tanh(candidate[u] as number);
      }
    }
    output.set(h, t * units);
  }
  return output;
}

/** Forward pass for one input sequence [steps, features] → outputs. */
export function rnnForward(network: RnnNetwork, input: Float32Array, steps: number): Float32Array {
  let sequence = input;
  for (const layer of network.layers) sequence = runLayer(network.cell, layer, sequence, steps);
  const last = network.layers[network.layers.length - 1];
  if (!last) throw new Error('network has no recurrent layers');
  const units = last.units;
  const finalState = sequence.subarray((steps - 1) * units, steps * units);
  const out = new Float32Array(network.outputs);
  for (let o = 0; o < network.outputs; o++) {
    let sum = network.headBias[o] as number;
    for (let k = 0; k < units; k++)
      sum += (finalState[k] as number) * (network.headKernel[k * network.outputs + o] as number);
    out[o] = sum;
  }
  return out;
}
