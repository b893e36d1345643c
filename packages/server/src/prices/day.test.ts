import { describe, expect, it } from 'vitest';
import { dayFromNumber, dayNumber } from './day.ts';

describe('dayNumber', () => {
  it('agrees with Date for every day from 1600 to 2400', () => {
    const from = Date.UTC(1600, 0, 1) / 86_400_000;
    const to = Date.UTC(2400, 11, 31) / 86_400_000;
    let mismatches = 0;
    for (let n = from; n <= to; n++) {
      if (dayNumber(dayFromNumber(n)) !== n) mismatches++;
    }
    expect(mismatches).toBe(0);
    expect(to - from).toBeGreaterThan(290_000);
  });

  it('is null for strings that are not a real calendar day', () => {
    for (const bad of [
      '2023-02-29',
      '2024-13-01',
      '2024-00-10',
      '2100-02-29',
      '2024-06-31',
      '',
      '2024-06-3',
    ]) {
      expect(dayNumber(bad)).toBeNull();
    }
    expect(dayNumber('2024-02-29')).toBe(19_782);
  });
});
