import { addDays } from '@ethcast/forecast';

/**
 * The trailing run of consecutive days: models need gap-free daily history, so a gap in stored prices
 * cuts the usable history there rather than failing the forecast.
 */
export function latestContiguous<T extends { day: string }>(candles: T[]): T[] {
  let start = candles.length - 1;
  while (start > 0) {
    const previous = candles[start - 1];
    const current = candles[start];
    if (!previous || !current || addDays(previous.day, 1) !== current.day) break;
    start--;
  }
  return start < 0 ? [] : candles.slice(start);
}
