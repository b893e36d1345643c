import { dayNumber } from '@ethcast/days';

/**
 * The trailing run of consecutive days: models need gap-free daily history, so a gap in stored prices
 * cuts the usable history there rather than failing the forecast. Runs on every forecast request, so days
 * are compared as numbers (no Date objects).
 */
export function latestContiguous<T extends { day: string }>(candles: T[]): T[] {
  if (candles.length === 0) return [];
  let start = candles.length - 1;
  let current = dayNumber(candles[start]?.day ?? '');
  if (current === null) return [];
  while (start > 0) {
    const previous = dayNumber(candles[start - 1]?.day ?? '');
    if (previous === null || current - previous !== 1) break;
    current = previous;
    start--;
  }
  return candles.slice(start);
}
