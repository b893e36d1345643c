import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../test-support/temp-dirs.ts';
import { readRnnArtifacts } from './rnn-artifacts.ts';
import { rnnForward } from './rnn-forward.ts';
import { loadTf } from './tfjs-backend.ts';
import { buildRnn, DEFAULT_RNN_HYPERPARAMETERS, serializeRnn } from './train-rnn.ts';

describe('hand-written forward pass', () => {
  const temp = useTempDirs('ethcast-fwd-');
  for (const cell of ['lstm', 'gru'] as const) {
    it(`matches tfjs within 1e-4 for the shipped ${cell.toUpperCase()} architecture (2×50, window 60)`, async () => {
      const tf = await loadTf();
      const hp = { ...DEFAULT_RNN_HYPERPARAMETERS, cell, seed: 5 };
      const model = buildRnn(tf, hp);
      // random init weights are small; scale them up so gates saturate and nonlinearity errors would show
      model.setWeights(model.getWeights().map((w) => w.mul(3)));
      const artifacts = await serializeRnn(model);
      const dir = await temp.make();
      await writeFile(path.join(dir, 'model.json'), JSON.stringify(artifacts.modelJson));
      await writeFile(path.join(dir, 'weights.bin'), artifacts.weightsBin);
      const network = await readRnnArtifacts(dir, cell);
      for (let sample = 0; sample < 3; sample++) {
        const input = new Float32Array(hp.window).map((_, i) => Math.sin(i * (sample + 1) * 0.37) * 2);
        const expected = (
          model.predict(tf.tensor3d(input, [1, hp.window, 1])) as import('@tensorflow/tfjs').Tensor
        ).dataSync();
        const actual = rnnForward(network, input, hp.window);
        expect(actual).toHaveLength(hp.maxHorizon);
        for (let i = 0; i < actual.length; i++) {
          expect(Math.abs((actual[i] as number) - (expected[i] as number))).toBeLessThan(1e-4);
        }
      }
      model.dispose();
    });
  }
});
