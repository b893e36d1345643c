import { createDriftModel, DRIFT_WINDOW } from '../models/drift.ts';
import { createNaiveModel } from '../models/naive.ts';
import { createThetaModel, THETA_WINDOW } from '../models/theta.ts';
import type { ModelRecipe } from './calibrated-metadata.ts';

/** Models with nothing to learn from the training range but their interval calibration. */
export const BASELINE_NAMES = ['naive', 'drift', 'theta'] as const;
export type BaselineName = (typeof BASELINE_NAMES)[number];

const FEATURES = {
  input: 'close',
  target: 'log price change from the last close, h = 1..maxHorizon',
  scaling: null,
};

/** A baseline's runnable model and how its metadata describes it. */
export function baselineRecipe(name: BaselineName): ModelRecipe {
  switch (name) {
    case 'naive':
      return { model: createNaiveModel(), hyperparameters: {}, features: { ...FEATURES } };
    case 'drift':
      return {
        model: createDriftModel(),
        hyperparameters: { driftWindow: DRIFT_WINDOW },
        features: { ...FEATURES, input: `log returns of the last ${DRIFT_WINDOW} days (mean only)` },
      };
    case 'theta':
      return {
        model: createThetaModel(),
        hyperparameters: { fitWindow: THETA_WINDOW, theta: 2, alphaGrid: '0.05..1.00 step 0.05' },
        features: {
          ...FEATURES,
          input: `log closes of the last ${THETA_WINDOW} days, refitted at every origin`,
        },
      };
  }
}
