import { DEFAULT_MAX_HORIZON, MIN_HISTORY_FOR_INTERVALS, type PointModel } from './point-model.ts';

/** Persistence: tomorrow = today. The yardstick every other model is measured against. */
export function createNaiveModel(maxHorizon = DEFAULT_MAX_HORIZON): PointModel {
  return {
    name: 'naive',
    kind: 'baseline',
    window: 1,
    minHistory: MIN_HISTORY_FOR_INTERVALS,
    maxHorizon,
    predictLogChange: (_closes, horizon) => new Float64Array(horizon),
  };
}
