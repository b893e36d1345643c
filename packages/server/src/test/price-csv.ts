import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dayFromNumber, dayNumber } from '@ethcast/days';
import { asc } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { upsertPrices } from '../db/queries/price-upsert.ts';
import { candleColumns, type PriceRow } from '../db/queries/prices.ts';
import { prices } from '../db/schema.ts';

/**
 * Deterministic synthetic candles with full-precision floats (a seeded random walk), and writers for
 * every CSV layout the importer accepts, so tests never depend on ../shared/data.
 */
export function generateCandles(symbol: string, start: string, days: number, seed = 1): PriceRow[] {
  let state = seed >>> 0 || 1;
  const random = () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
  const first = dayNumber(start);
  if (first === null) throw new Error(`bad start ${start}`);
  const rows: PriceRow[] = [];
  let close = 100 + random() * 1000;
  for (let i = 0; i < days; i++) {
    const open = close;
    close = Math.max(0.01, open * (1 + (random() - 0.5) * 0.1));
    const high = Math.max(open, close) * (1 + random() * 0.03);
    const low = Math.min(open, close) * (1 - random() * 0.03);
    rows.push({
      symbol,
      day: dayFromNumber(first + i),
      open,
      high,
      low,
      close,
      volume: Math.round(random() * 1e10) / 100,
    });
  }
  return rows;
}

export { type CsvLayout, toCsv } from '@ethcast/price-file/test';

/**
 * A temporary folder for generated files, made at first use and removed by `cleanup()`. Made lazily, so
 * that calling this in a describe that is then skipped (PostgreSQL-only suites on PGlite, whose afterAll
 * never runs) leaves nothing behind.
 */
export function tempDir(prefix = 'ethcast-prices-') {
  let dir: string | null = null;
  const pathOf = (name: string) => {
    dir ??= mkdtempSync(join(tmpdir(), prefix));
    return join(dir, name);
  };
  return {
    /** where a file called `name` would be, without writing it */
    pathOf,
    write(name: string, text: string) {
      const file = pathOf(name);
      writeFileSync(file, text);
      return file;
    },
    cleanup: () => {
      if (dir) rmSync(dir, { recursive: true, force: true });
      dir = null;
    },
  };
}

const storedColumns = { symbol: prices.symbol, ...candleColumns };

/** Every stored candle, ordered by symbol and day: what tests compare imports and syncs against. */
export function storedPrices(db: Database) {
  return db.select(storedColumns).from(prices).orderBy(asc(prices.symbol), asc(prices.day));
}

/** The same, with the source each row came from. */
export function storedPricesWithSource(db: Database) {
  return db
    .select({ ...storedColumns, source: prices.source })
    .from(prices)
    .orderBy(asc(prices.symbol), asc(prices.day));
}

/** Stores a deterministic random-walk price history for a symbol. */
export async function seedPrices(db: Database, symbol: string, start: string, days: number, seed = 1) {
  await upsertPrices(db, generateCandles(symbol, start, days, seed), 'test');
}
