import { describe, expect, it } from 'vitest';
import { addDays, DAY_MS, dayFromNumber, dayNumber, isDay, todayNumber } from './index.ts';

describe('dayNumber', () => {
  it('agrees with Date for every day from 1600 to 2400', () => {
    const from = Date.UTC(1600, 0, 1) / DAY_MS;
    const to = Date.UTC(2400, 11, 31) / DAY_MS;
    let mismatches = 0;
    for (let n = from; n <= to; n++) {
      if (dayNumber(dayFromNumber(n)) !== n) mismatches++;
    }
    expect(mismatches).toBe(0);
    expect(to - from).toBeGreaterThan(290_000);
  });

  it('reads valid days as days since 1970-01-01', () => {
    expect(dayNumber('1970-01-01')).toBe(0);
    expect(dayNumber('2024-02-29')).toBe(19_782);
    expect(dayNumber('2000-02-29')).toBe(Date.UTC(2000, 1, 29) / DAY_MS);
    expect(dayNumber('2026-03-31')).toBe(Date.UTC(2026, 2, 31) / DAY_MS);
  });

  it.each([
    '2023-02-29', // not a leap year
    '1900-02-29', // century, not divisible by 400
    '2100-02-29',
    '2024-13-01',
    '2024-00-10',
    '2024-04-31',
    '2024-06-31',
    '2024-04-00',
    '0000-01-01',
    '2024-4-01',
    '2024-06-3',
    '2024/04/01',
    '2024-04-01T00:00:00Z',
    ' 2024-04-01',
    '2024-0a-01',
    '',
  ])('rejects %j', (value) => {
    expect(dayNumber(value)).toBeNull();
    expect(isDay(value)).toBe(false);
  });
});

describe('addDays', () => {
  it('agrees with Date on every day of four years, forwards and back', () => {
    for (let ms = Date.UTC(2023, 0, 1); ms < Date.UTC(2027, 0, 1); ms += DAY_MS) {
      const day = new Date(ms).toISOString().slice(0, 10);
      expect(addDays(day, 1)).toBe(new Date(ms + DAY_MS).toISOString().slice(0, 10));
      expect(addDays(day, -30)).toBe(new Date(ms - 30 * DAY_MS).toISOString().slice(0, 10));
    }
    expect(addDays('2024-02-28', 2)).toBe('2024-03-01');
  });

  it('throws on a string that is not a day', () => {
    expect(() => addDays('2024-02-30', 1)).toThrow('not a day');
  });
});

describe('todayNumber', () => {
  it('is the UTC day of the instant', () => {
    expect(dayFromNumber(todayNumber(new Date('2024-03-01T00:30:00Z')))).toBe('2024-03-01');
    expect(dayFromNumber(todayNumber(new Date('2024-02-29T23:59:59Z')))).toBe('2024-02-29');
  });
});
