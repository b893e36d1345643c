/**
 * Hand-written inference for the stacked-RNN networks (2 recurrent layers + dense head) over Float32Array
 * weights in the Keras/tfjs layout. It avoids loading tfjs on the serving path and is several times faster
 * than tfjs's own layers on wasm (docs/benchmarks.md, "30-day forecast latency");
 * rnn-forward.test.ts proves it matches tfjs within 1e-4.
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

/**
 * Weights transposed to [gates·units, fan-in] in float64, so every gate pre-activation is a dot product
 * over contiguous memory accumulated in a local variable — several times faster in V8 than the Keras
 * layout's scattered column updates.
 */
interface PreparedLayer {
  inputDim: number;
  units: number;
  kernelT: Float64Array;
  recurrentT: Float64Array;
  bias: Float64Array;
}

function transpose(matrix: Float32Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) out[c * rows + r] = matrix[r * cols + c] as number;
  return out;
}

const prepared = new WeakMap<RnnNetwork, PreparedLayer[]>();

function prepare(network: RnnNetwork): PreparedLayer[] {
  let layers = prepared.get(network);
  if (!layers) {
    const gates = network.cell === 'lstm' ? 4 : 3;
    layers = network.layers.map((l) => ({
      inputDim: l.inputDim,
      units: l.units,
      kernelT: transpose(l.kernel, l.inputDim, gates * l.units),
      recurrentT: transpose(l.recurrentKernel, l.units, gates * l.units),
      bias: Float64Array.from(l.bias),
    }));
    prepared.set(network, layers);
  }
  return layers;
}

/**
 * Dot product with four independent accumulators: a single running sum makes every multiply-add wait
 * for the previous one, four let the CPU overlap them. The summation order is fixed, so results are
 * deterministic.
 */
function dot(weights: Float64Array, offset: number, vector: Float64Array, length: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let k = 0;
  for (; k + 3 < length; k += 4) {
    s0 += (weights[offset + k] as number) * (vector[k] as number);
    s1 += (weights[offset + k + 1] as number) * (vector[k + 1] as number);
    s2 += (weights[offset + k + 2] as number) * (vector[k + 2] as number);
    s3 += (weights[offset + k + 3] as number) * (vector[k + 3] as number);
  }
  for (; k < length; k++) s0 += (weights[offset + k] as number) * (vector[k] as number);
  return s0 + s1 + (s2 + s3);
}

/** Runs one recurrent layer over the whole sequence; returns the hidden states [steps, units]. */
function runLayer(cell: CellType, layer: PreparedLayer, input: Float64Array, steps: number): Float64Array {
  const { kernelT, recurrentT, bias, inputDim, units } = layer;
  const output = new Float64Array(steps * units);
  const x = new Float64Array(inputDim);
  const h = new Float64Array(units);
  const c = new Float64Array(units);
  const next = new Float64Array(units);
  const rh = new Float64Array(units);
  const z = new Float64Array(units);
  for (let t = 0; t < steps; t++) {
    for (let k = 0; k < inputDim; k++) x[k] = input[t * inputDim + k] as number;
    if (cell === 'lstm') {
      // gate order i, f, c, o (Keras). The four gates of a unit are accumulated together: each input and
      // hidden value is loaded once for four independent multiply-add chains.
      const f0 = units;
      const c0 = 2 * units;
      const o0 = 3 * units;
      for (let u = 0; u < units; u++) {
        let si = bias[u] as number;
        let sf = bias[f0 + u] as number;
        let sc = bias[c0 + u] as number;
        let so = bias[o0 + u] as number;
        let wi = u * inputDim;
        let wf = (f0 + u) * inputDim;
        let wc = (c0 + u) * inputDim;
        let wo = (o0 + u) * inputDim;
        for (let k = 0; k < inputDim; k++) {
          const v = x[k] as number;
          si += (kernelT[wi++] as number) * v;
          sf += (kernelT[wf++] as number) * v;
          sc += (kernelT[wc++] as number) * v;
          so += (kernelT[wo++] as number) * v;
        }
        wi = u * units;
        wf = (f0 + u) * units;
        wc = (c0 + u) * units;
        wo = (o0 + u) * units;
        for (let k = 0; k < units; k++) {
          const v = h[k] as number;
          si += (recurrentT[wi++] as number) * v;
          sf += (recurrentT[wf++] as number) * v;
          sc += (recurrentT[wc++] as number) * v;
          so += (recurrentT[wo++] as number) * v;
        }
        const cu = sigmoid(sf) * (c[u] as number) + sigmoid(si) * Math.tanh(sc);
        c[u] = cu;
        next[u] = sigmoid(so) * Math.tanh(cu);
      }
    } else {
      // gate order z, r, h; tfjs applies the reset gate before the candidate's recurrent matmul
      for (let u = 0; u < units; u++) {
        const xz = dot(kernelT, u * inputDim, x, inputDim);
        const xr = dot(kernelT, (units + u) * inputDim, x, inputDim);
        z[u] = sigmoid((bias[u] as number) + xz + dot(recurrentT, u * units, h, units));
        const r = sigmoid((bias[units + u] as number) + xr + dot(recurrentT, (units + u) * units, h, units));
        rh[u] = r;
      }
      for (let u = 0; u < units; u++) rh[u] = (rh[u] as number) * (h[u] as number);
      for (let u = 0; u < units; u++) {
        const j = 2 * units + u;
        const candidate = Math.tanh(
          (bias[j] as number) +
            dot(kernelT, j * inputDim, x, inputDim) +
            dot(recurrentT, j * units, rh, units),
        );
        const zu = z[u] as number;
        next[u] = zu * (h[u] as number) + (1 - zu) * candidate;
      }
    }
    h.set(next);
    output.set(h, t * units);
  }
  return output;
}

/** Forward pass for one input sequence [steps, features] → outputs. */
export function rnnForward(network: RnnNetwork, input: Float32Array, steps: number): Float32Array {
  let sequence: Float64Array = Float64Array.from(input);
  const layers = prepare(network);
  for (const layer of layers) sequence = runLayer(network.cell, layer, sequence, steps);
  const last = layers[layers.length - 1];
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
