import { describe, expect, it } from 'vitest';
import { ForecastError } from '../errors.ts';
import { validateHistory } from './validate-history.ts';

const bars = (closes: number[], start = 1) =>
  closes.map((close, i) => ({ day: `2024-01-${String(start + i).padStart(2, '0')}`, close }));

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof ForecastError ? error.code : 'other';
  }
  return undefined;
}

describe('validateHistory', () => {
  it('returns closes for valid consecutive history', () => {
    expect(Array.from(validateHistory(bars([1, 2, 3])))).toEqual([1, 2, 3]);
  });

  it('rejects NaN, zero and negative prices with BAD_HISTORY', () => {
    expect(codeOf(() => validateHistory(bars([1, Number.NaN, 3])))).toBe('BAD_HISTORY');
    expect(codeOf(() => validateHistory(bars([1, 0, 3])))).toBe('BAD_HISTORY');
    expect(codeOf(() => validateHistory(bars([1, -2, 3])))).toBe('BAD_HISTORY');
  });

  it('rejects unsorted, duplicated or gapped days', () => {
    const unsorted = [...bars([1, 2, 3])].reverse();
    expect(() => validateHistory(unsorted)).toThrow(/sorted ascending/);
    const gap = [...bars([1]), ...bars([2], 3)];
    expect(() => validateHistory(gap)).toThrow(/consecutive days/);
    expect(codeOf(() => validateHistory([{ day: '2024-13-01', close: 1 }]))).toBe('BAD_HISTORY');
  });
});
