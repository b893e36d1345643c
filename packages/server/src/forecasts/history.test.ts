import { describe, expect, it } from 'vitest';
import { latestContiguous } from './history.ts';

const days = (...list: string[]) => list.map((day, i) => ({ day, close: i + 1 }));

describe('latestContiguous', () => {
  it('keeps the whole history when it has no gap, across month and leap-day boundaries', () => {
    const history = days('2024-02-27', '2024-02-28', '2024-02-29', '2024-03-01');
    expect(latestContiguous(history)).toEqual(history);
  });

  it('cuts at the last gap', () => {
    const history = days('2024-01-01', '2024-01-02', '2024-01-04', '2024-01-05', '2024-01-06');
    expect(latestContiguous(history).map((c) => c.day)).toEqual(['2024-01-04', '2024-01-05', '2024-01-06']);
  });

  it('treats a repeated or unordered day as a gap', () => {
    expect(latestContiguous(days('2024-01-01', '2024-01-02', '2024-01-02')).map((c) => c.day)).toEqual([
      '2024-01-02',
    ]);
    expect(latestContiguous(days('2024-01-03', '2024-01-02')).map((c) => c.day)).toEqual(['2024-01-02']);
  });

  it('handles empty and single-day histories, and an invalid last day', () => {
    expect(latestContiguous([])).toEqual([]);
    expect(latestContiguous(days('2024-01-01'))).toHaveLength(1);
    expect(latestContiguous(days('2024-01-01', 'not-a-day'))).toEqual([]);
  });
});
