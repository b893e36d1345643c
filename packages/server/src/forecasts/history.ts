import { DAY_MS, parseDayMs } from '@ethcast/forecast';

/**
 * The trailing run of consecutive days: models need gap-free daily history, so a gap in stored prices
 * cuts the usable history there rather than failing the forecast. Runs on every forecast request, so days
 * are compared as numbers (no Date objects).
 */
export function latestContiguous<T extends { day: string }>(candles: T[]): T[] {
  if (candles.length === 0) return [];
  let start = candles.length - 1;
  let currentMs = parseDayMs(candles[start]?.day ?? '');
  if (currentMs === null) return [];
  while (start > 0) {
    const previousMs = parseDayMs(candles[start - 1]?.day ?? '');
    if (previousMs === null || currentMs - previousMs !== DAY_MS) break;
    currentMs = previousMs;
    start--;
  }
  return candles.slice(start);
}
