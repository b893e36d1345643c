import { dayFromNumber, msOfDayNumber } from '@ethcast/days';
import type { Candle } from '../db/queries/prices.ts';
import { getJsonWithRetry, type RetryOptions } from './retry.ts';

/**
 * A typed client of one public endpoint, Coinbase Exchange's daily candles, instead of ccxt: ccxt
 * brings a hundred-odd exchanges (tens of MB) for a single call, and Coinbase quotes ETH-USD and
 * BTC-USD in USD under the very symbols Ethcast uses (no USDT mapping).
 * GET /products/{id}/candles?granularity=86400&start&end returns at most 300
 * `[time (s), low, high, open, close, volume]`, newest first, and `[]` where it has no data.
 */
export const CANDLES_PER_PAGE = 300;

export class ExchangeResponseError extends Error {
  override name = 'ExchangeResponseError';
}

/** The candles of days `[firstDay, lastDay]` (day numbers), ascending, as the exchange returned them. */
export async function fetchDailyCandles(
  args: { baseUrl: string; symbol: string; firstDay: number; lastDay: number },
  retry: RetryOptions = {},
): Promise<(Candle & { dayNumber: number })[]> {
  const url = new URL(`products/${encodeURIComponent(args.symbol)}/candles`, withSlash(args.baseUrl));
  url.searchParams.set('granularity', '86400');
  url.searchParams.set('start', new Date(msOfDayNumber(args.firstDay)).toISOString());
  url.searchParams.set('end', new Date(msOfDayNumber(args.lastDay)).toISOString());
  const body = await getJsonWithRetry(url.toString(), retry);
  if (!Array.isArray(body)) {
    throw new ExchangeResponseError(`unexpected response from ${url.origin}: not a list of candles`);
  }
  const candles = body.map((entry: unknown) => {
    if (!Array.isArray(entry) || entry.length < 6 || !entry.slice(0, 6).every((v) => typeof v === 'number')) {
      throw new ExchangeResponseError(`unexpected candle from ${url.origin}: ${JSON.stringify(entry)}`);
    }
    const [time, low, high, open, close, volume] = entry as number[];
    const dayNumber = Math.floor((time ?? 0) / 86_400);
    return {
      dayNumber,
      day: dayFromNumber(dayNumber),
      open: open ?? 0,
      high: high ?? 0,
      low: low ?? 0,
      close: close ?? 0,
      volume: volume ?? null,
    };
  });
  return candles.sort((a, b) => a.dayNumber - b.dayNumber);
}

const withSlash = (url: string) => (url.endsWith('/') ? url : `${url}/`);
