import { dayNumber } from '@ethcast/days';
import { ForecastError } from '../errors.ts';
import type { DailyBar } from '../types.ts';

/**
 * Checks that history is usable by every model: valid days, strictly consecutive (crypto trades daily, and
 * the models assume one step = one day), finite positive closes. Returns the closes as a typed array.
 */
export function validateHistory(history: readonly DailyBar[]): Float64Array {
  const closes = new Float64Array(history.length);
  let previousNumber = Number.NaN;
  let previousDay = '';
  for (let i = 0; i < history.length; i++) {
    const bar = history[i];
    const number = bar && typeof bar.day === 'string' ? dayNumber(bar.day) : null;
    if (!bar || number === null) {
      throw new ForecastError('BAD_HISTORY', `history[${i}] has an invalid day (expected YYYY-MM-DD)`, {
        index: i,
      });
    }
    if (typeof bar.close !== 'number' || !Number.isFinite(bar.close) || bar.close <= 0) {
      throw new ForecastError('BAD_HISTORY', `history close on ${bar.day} must be a positive number`, {
        index: i,
        day: bar.day,
      });
    }
    if (i > 0 && number !== previousNumber + 1) {
      throw new ForecastError(
        'BAD_HISTORY',
        bar.day <= previousDay
          ? `history must be sorted ascending: ${bar.day} follows ${previousDay}`
          : `history must have consecutive days: ${previousDay} is followed by ${bar.day}`,
        { index: i, day: bar.day },
      );
    }
    closes[i] = bar.close;
    previousNumber = number;
    previousDay = bar.day;
  }
  return closes;
}
