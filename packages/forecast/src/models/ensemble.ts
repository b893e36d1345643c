import type { PointModel } from './point-model.ts';

/**
 * Median of the member forecasts, horizon by horizon, in log space. The median is robust to one member
 * going astray (a neural net extrapolating a rally), which a mean is not.
 */
export function createEnsembleModel(members: readonly PointModel[], maxHorizon: number): PointModel {
  if (members.length === 0) throw new Error('ensemble needs at least one member');
  const minHistory = Math.max(...members.map((m) => m.minHistory));
  const window = Math.max(...members.map((m) => m.window));
  return {
    name: 'ensemble',
    kind: 'ensemble',
    window,
    minHistory,
    maxHorizon: Math.min(maxHorizon, ...members.map((m) => m.maxHorizon)),
    predictLogChange(closes, horizon) {
      const forecasts = members.map((m) => m.predictLogChange(closes, horizon));
      const out = new Float64Array(horizon);
      const column = new Array<number>(members.length);
      for (let h = 0; h < horizon; h++) {
        for (let m = 0; m < forecasts.length; m++) column[m] = (forecasts[m] as Float64Array)[h] as number;
        out[h] = median(column);
      }
      return out;
    },
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
