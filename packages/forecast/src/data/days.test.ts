import { describe, expect, it } from 'vitest';
import { addDays, DAY_MS, daysBetween, isDay, parseDayMs } from './days.ts';

describe('parseDayMs', () => {
  it('reads valid days as UTC midnight', () => {
    expect(parseDayMs('2026-03-31')).toBe(Date.UTC(2026, 2, 31));
    expect(parseDayMs('1970-01-01')).toBe(0);
    expect(parseDayMs('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
    expect(parseDayMs('2000-02-29')).toBe(Date.UTC(2000, 1, 29));
  });

  it.each([
    '2023-02-29', // not a leap year
    '1900-02-29', // century, not divisible by 400
    '2024-13-01',
    '2024-00-10',
    '2024-04-31',
    '2024-04-00',
    '2024-4-01',
    '2024/04/01',
    '2024-04-01T00:00:00Z',
    ' 2024-04-01',
    '2024-0a-01',
    '',
  ])('rejects %j', (value) => {
    expect(parseDayMs(value)).toBeNull();
    expect(isDay(value)).toBe(false);
  });

  it('agrees with Date on every day of four years', () => {
    for (let ms = Date.UTC(2023, 0, 1); ms < Date.UTC(2027, 0, 1); ms += DAY_MS) {
      const day = new Date(ms).toISOString().slice(0, 10);
      expect(parseDayMs(day)).toBe(ms);
      expect(addDays(day, 1)).toBe(new Date(ms + DAY_MS).toISOString().slice(0, 10));
    }
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2);
  });
});
