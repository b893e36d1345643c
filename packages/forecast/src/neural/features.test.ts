import { describe, expect, it } from 'vitest';
import { fitReturnScaling, inputWindow, targetVector, unscaleTargets } from './features.ts';

describe('return scaling', () => {
  it('uses only closes up to the end of the training window', () => {
    const closes = [100, 101, 102, 101, 103, 104, 5000, 1];
    const a = fitReturnScaling(closes, 5);
    const b = fitReturnScaling(closes.slice(0, 6), 5);
    expect(a).toEqual(b);
    const withFuture = fitReturnScaling(closes, 7);
    expect(withFuture.std).toBeGreaterThan(a.std * 10);
  });

  it('targets round-trip through unscaleTargets', () => {
    const closes = [100, 101, 99, 102, 104, 103];
    const scaling = fitReturnScaling(closes, 5);
    const scaled = targetVector(closes, 2, 3, scaling);
    const back = unscaleTargets(scaled, 3, scaling);
    expect(back[2]).toBeCloseTo(Math.log(103 / 99), 6);
    const input = inputWindow(closes, 5, 5, scaling);
    expect(input).toHaveLength(5);
  });
});
