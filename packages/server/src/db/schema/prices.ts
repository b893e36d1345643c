import { sql } from 'drizzle-orm';
import {
  check,
  date,
  doublePrecision,
  integer,
  pgTable,
  primaryKey,
  text,
  varchar,
} from 'drizzle-orm/pg-core';
import { timestamptz } from './columns.ts';

// Daily candles and the per-symbol summary the triggers keep.

/**
 * Daily OHLCV candles, one row per symbol and UTC calendar day. Prices are double precision: every
 * source publishes them as decimal floats that JavaScript parses to doubles, and float8 stores and
 * returns exactly that double (PostgreSQL 12+ prints the shortest exact form), so values round-trip
 * bit for bit; numeric would cost a string conversion per value on every import and read.
 */
export const prices = pgTable(
  'prices',
  {
    symbol: varchar('symbol', { length: 21 }).notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    open: doublePrecision('open').notNull(),
    high: doublePrecision('high').notNull(),
    low: doublePrecision('low').notNull(),
    close: doublePrecision('close').notNull(),
    /** null when the source has no volume column */
    volume: doublePrecision('volume'),
    /** where the current values came from, e.g. `file:eth-usd-daily.csv` or `sync:coinbase` */
    source: text('source').notNull(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.symbol, t.day] }),
    check('prices_symbol_check', sql`${t.symbol} ~ '^[A-Z0-9]{2,10}-[A-Z]{2,10}$'`),
    check('prices_positive_check', sql`${t.open} > 0 and ${t.high} > 0 and ${t.low} > 0 and ${t.close} > 0`),
    check('prices_high_low_check', sql`${t.high} >= ${t.low}`),
    check('prices_volume_check', sql`${t.volume} >= 0`),
  ],
);

/**
 * One row per symbol in `prices`: its first and last day and row count, kept by triggers on `prices`
 * (drizzle/0008_price_symbols_triggers.sql) in the transaction of every write, whatever the path (import
 * COPY or upsert, sync, bootstrap, a delete by hand). `prices.symbols` reads this instead of aggregating
 * the whole prices table on every call.
 */
export const priceSymbols = pgTable('price_symbols', {
  symbol: varchar('symbol', { length: 21 }).primaryKey(),
  firstDay: date('first_day', { mode: 'string' }).notNull(),
  lastDay: date('last_day', { mode: 'string' }).notNull(),
  rows: integer('rows').notNull(),
});
