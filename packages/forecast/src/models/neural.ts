import { inputWindow, type ReturnScaling, unscaleTargets } from '../neural/features.ts';
import { type RnnNetwork, rnnForward } from '../neural/rnn-forward.ts';
import type { PointModel } from './point-model.ts';

export interface NeuralModelSpec {
  name: 'lstm' | 'gru';
  window: number;
  maxHorizon: number;
  scaling: ReturnScaling;
  network: RnnNetwork;
}

/** LSTM/GRU on scaled log returns with a direct multi-horizon head: one forward pass per forecast. */
export function createNeuralModel(spec: NeuralModelSpec): PointModel {
  const input = new Float32Array(spec.window);
  return {
    name: spec.name,
    kind: 'neural',
    window: spec.window,
    // window returns need window + 1 closes; intervals need 31
    minHistory: Math.max(spec.window + 1, 31),
    maxHorizon: spec.maxHorizon,
    predictLogChange(closes, horizon) {
      inputWindow(closes, closes.length - 1, spec.window, spec.scaling, input);
      const scaled = rnnForward(spec.network, input, spec.window);
      return unscaleTargets(scaled, horizon, spec.scaling);
    },
  };
}
