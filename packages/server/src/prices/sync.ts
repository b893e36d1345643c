import { dayFromNumber, dayNumber, todayNumber } from '@ethcast/days';
import type { Database } from '../db/client.ts';
import { lockSymbolsWithPrices } from '../db/queries/price-locks.ts';
import { type PriceChange, UPSERT_BATCH_SIZE, upsertPrices } from '../db/queries/price-upsert.ts';
import { getLastDay, type PriceRow } from '../db/queries/prices.ts';
import { isValidSymbol } from '../domain/symbol.ts';
import { CANDLES_PER_PAGE, fetchDailyCandles } from './coinbase.ts';
import type { PriceChangeHook } from './import.ts';
import type { RetryOptions } from './retry.ts';

/** Where a sync of an empty symbol starts: before any exchange listed ETH or BTC against USD. */
export const DEFAULT_SYNC_SINCE = '2015-01-01';

export type SyncOptions = RetryOptions & {
  symbol: string;
  /** exchange API base URL (the configuration's PRICES_SYNC_URL, or COINBASE_URL from env.ts) */
  baseUrl: string;
  /** first day to fetch when the symbol has no rows yet */
  since?: string;
  /** the clock, for "today" (whose candle is never stored) */
  now?: Date;
  onPage?: (page: { from: string; to: string; candles: number }) => void;
  /** runs in the rows' transaction when days were stored: the use case writes its audit row there */
  audit?: PriceChangeHook;
};

export type SyncReport = {
  symbol: string;
  source: string;
  /** days requested; null when already up to date */
  from: string | null;
  to: string | null;
  pages: number;
  fetched: number;
  /** candles of today (still open) or later, which are never stored */
  partialExcluded: number;
  rejected: { day: string; reason: string }[];
  inserted: number;
  updated: number;
  unchanged: number;
  changes: PriceChange[];
  lastDay: string | null;
};

export class SyncError extends Error {
  override name = 'SyncError';
}

/**
 * Fetches the closed daily candles after the last stored day up to yesterday (UTC) and upserts them in
 * one transaction after every page has arrived, so a failure part-way leaves the table unchanged.
 */
export async function syncPrices(db: Database, options: SyncOptions): Promise<SyncReport> {
  const symbol = options.symbol.trim().toUpperCase();
  if (!isValidSymbol(symbol))
    throw new SyncError(`invalid symbol "${options.symbol}": use BASE-QUOTE like ETH-USD`);
  const { baseUrl } = options;
  const source = `sync:${new URL(baseUrl).host}`;
  const lastClosed = todayNumber(options.now ?? new Date()) - 1;
  const stored = await getLastDay(db, symbol);
  const since = dayNumber(options.since ?? DEFAULT_SYNC_SINCE);
  if (since === null) throw new SyncError(`invalid since day "${options.since}"`);
  const first = stored === null ? since : (dayNumber(stored) ?? since) + 1;
  const report: SyncReport = {
    symbol,
    source,
    from: null,
    to: null,
    pages: 0,
    fetched: 0,
    partialExcluded: 0,
    rejected: [],
    inserted: 0,
    updated: 0,
    unchanged: 0,
    changes: [],
    lastDay: stored,
  };
  if (first > lastClosed) return report;
  report.from = dayFromNumber(first);
  report.to = dayFromNumber(lastClosed);

  const rows = new Map<number, PriceRow>();
  for (let start = first; start <= lastClosed; start += CANDLES_PER_PAGE) {
    const end = Math.min(start + CANDLES_PER_PAGE - 1, lastClosed);
    let candles: Awaited<ReturnType<typeof fetchDailyCandles>>;
    try {
      candles = await fetchDailyCandles({ baseUrl, symbol, firstDay: start, lastDay: end }, options);
    } catch (error) {
      throw new SyncError(`sync of ${symbol} failed, nothing was stored: ${(error as Error).message}`, {
        cause: error,
      });
    }
    report.pages++;
    report.fetched += candles.length;
    options.onPage?.({ from: dayFromNumber(start), to: dayFromNumber(end), candles: candles.length });
    for (const c of candles) {
      if (c.dayNumber > lastClosed) {
        report.partialExcluded++;
        continue;
      }
      if (c.dayNumber < start) continue;
      const reason = !(c.open > 0 && c.high > 0 && c.low > 0 && c.close > 0)
        ? 'non-positive price'
        : c.high < c.low
          ? `high ${c.high} is below low ${c.low}`
          : c.volume !== null && c.volume < 0
            ? 'negative volume'
            : null;
      if (reason) {
        report.rejected.push({ day: c.day, reason });
        continue;
      }
      rows.set(c.dayNumber, {
        symbol,
        day: c.day,
        open: c.open,
        high: c.high,
        low: c.low,
        close: c.close,
        volume: c.volume,
      });
    }
  }

  const ordered = [...rows.values()].sort((a, b) => (a.day < b.day ? -1 : 1));
  await db.transaction(async (tx) => {
    // the symbol's import lock: an import streaming this symbol as new (COPY) finishes first
    await lockSymbolsWithPrices(tx, [symbol]);
    for (let i = 0; i < ordered.length; i += UPSERT_BATCH_SIZE) {
      const result = await upsertPrices(tx, ordered.slice(i, i + UPSERT_BATCH_SIZE), source);
      report.inserted += result.inserted;
      report.updated += result.updated;
      report.changes.push(...result.changes.slice(0, 10 - report.changes.length));
    }
    if (ordered.length > 0) {
      await options.audit?.(tx, {
        symbols: [symbol],
        inserted: report.inserted,
        updated: report.updated,
        source,
      });
    }
  });
  report.unchanged = ordered.length - report.inserted - report.updated;
  report.lastDay = ordered.at(-1)?.day ?? stored;
  return report;
}
