/**
 * What every model implements: from closes up to and including the origin, predict the log price change
 * from the last close for h = 1..horizon. Intervals are added on top by the conformal layer, so a model only
 * has to be good at the centre.
 */
export interface PointModel {
  readonly name: ModelName;
  readonly kind: ModelKind;
  /** closes the model looks at (the neural models need window + 1 closes for window returns) */
  readonly window: number;
  readonly minHistory: number;
  readonly maxHorizon: number;
  predictLogChange(closes: Float64Array, horizon: number): Float64Array;
}

export const MODEL_NAMES = ['naive', 'drift', 'theta', 'lstm', 'gru', 'ensemble'] as const;
export type ModelName = (typeof MODEL_NAMES)[number];
export type ModelKind = 'baseline' | 'statistical' | 'neural' | 'ensemble';

export const DEFAULT_MAX_HORIZON = 30;
/** Closes needed by the volatility estimate behind every interval (30 returns). */
export const MIN_HISTORY_FOR_INTERVALS = 31;

export function isModelName(value: string): value is ModelName {
  return (MODEL_NAMES as readonly string[]).includes(value);
}
