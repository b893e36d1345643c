import { sortBySymbol } from '@ethcast/forecast';
import type { SymbolCandle } from '@ethcast/price-file';
import { and, desc, eq, gte, lte, max, sql } from 'drizzle-orm';
import { type Database, preparedQuery } from '../client.ts';
import { priceSymbols, prices } from '../schema.ts';

// Reads of the `prices` table. Writes: price-upsert.ts (compare and replace) and price-copy.ts (COPY of
// new symbols); the locks imports take: price-locks.ts.

export type PriceRow = SymbolCandle;

export type Candle = Omit<PriceRow, 'symbol'>;

/**
 * A day's values as validated PostgreSQL input text, as the importer reads them from a file: no
 * array-literal or COPY metacharacters (validated days and decimal numbers).
 */
export type PriceCells = {
  day: string;
  open: string;
  high: string;
  low: string;
  close: string;
  volume: string | null;
};

export type SymbolSummary = {
  symbol: string;
  firstDay: string;
  lastDay: string;
  rows: number;
  /** calendar days absent between firstDay and lastDay */
  missingDays: number;
};

/**
 * In the order every symbol list is shown: ETH-USD first, then alphabetically. Reads the summary the
 * triggers on `prices` keep (price_symbols): one row per symbol, whatever the number of days.
 */
export async function listSymbols(db: Database): Promise<SymbolSummary[]> {
  const rows = await db
    .select({
      symbol: priceSymbols.symbol,
      firstDay: priceSymbols.firstDay,
      lastDay: priceSymbols.lastDay,
      rows: priceSymbols.rows,
      span: sql<number>`(${priceSymbols.lastDay} - ${priceSymbols.firstDay} + 1)::int`,
    })
    .from(priceSymbols);
  return sortBySymbol(
    rows.map((r) => ({
      symbol: r.symbol,
      firstDay: r.firstDay,
      lastDay: r.lastDay,
      rows: r.rows,
      missingDays: Number(r.span) - r.rows,
    })),
  );
}

export async function hasAnyPrices(db: Database): Promise<boolean> {
  const rows = await db.select({ symbol: prices.symbol }).from(prices).limit(1);
  return rows.length > 0;
}

/** The last stored day of a symbol, or null when it has none. */
export async function getLastDay(db: Database, symbol: string): Promise<string | null> {
  const [row] = await db
    .select({ day: max(prices.day) })
    .from(prices)
    .where(eq(prices.symbol, symbol));
  return row?.day ?? null;
}

/** A stored candle's columns without its symbol (and without source and updated_at). */
export const candleColumns = {
  day: prices.day,
  open: prices.open,
  high: prices.high,
  low: prices.low,
  close: prices.close,
  volume: prices.volume,
};

/**
 * Candles of a symbol between two days (inclusive), ascending. When more than `limit` match, the most
 * recent `limit` are returned and `truncated` is set.
 */
export async function getPriceRange(
  db: Database,
  args: { symbol: string; from?: string; to?: string; limit: number },
): Promise<{ candles: Candle[]; truncated: boolean }> {
  const conditions = [eq(prices.symbol, args.symbol)];
  if (args.from) conditions.push(gte(prices.day, args.from));
  if (args.to) conditions.push(lte(prices.day, args.to));
  const rows = await db
    .select(candleColumns)
    .from(prices)
    .where(and(...conditions))
    .orderBy(desc(prices.day))
    .limit(args.limit + 1);
  const truncated = rows.length > args.limit;
  return { candles: rows.slice(0, args.limit).reverse(), truncated };
}

export async function getLatestPrice(
  db: Database,
  args: { symbol: string },
): Promise<(Candle & { source: string; updatedAt: Date }) | null> {
  const [row] = await db
    .select({ ...candleColumns, source: prices.source, updatedAt: prices.updatedAt })
    .from(prices)
    .where(eq(prices.symbol, args.symbol))
    .orderBy(desc(prices.day))
    .limit(1);
  return row ?? null;
}

/** Only day and close of the most recent `limit` days, ascending: the lean input of a forecast. */
/** The last `limit` closes of a symbol, oldest first. Prepared once per database: every forecast reads it. */
export async function getRecentCloses(
  db: Database,
  args: { symbol: string; limit: number },
): Promise<{ day: string; close: number }[]> {
  const query = preparedQuery(db, 'recentCloses', (database) =>
    database
      .select({ day: prices.day, close: prices.close })
      .from(prices)
      .where(eq(prices.symbol, sql.placeholder('symbol')))
      .orderBy(desc(prices.day))
      .limit(sql.placeholder('limit'))
      .prepare('recent_closes'),
  );
  const rows = await query.execute({ symbol: args.symbol, limit: args.limit });
  return rows.reverse();
}
