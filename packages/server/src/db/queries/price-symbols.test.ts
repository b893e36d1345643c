import { Readable } from 'node:stream';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { importPrices } from '../../prices/import.ts';
import { testEngine } from '../../test/db.ts';
import { useTestDb } from '../../test/fixtures.ts';
import { generateCandles, toCsv } from '../../test/price-csv.ts';
import { type Database, queryRows } from '../client.ts';
import { prices } from '../schema.ts';
import { upsertPrices } from './price-upsert.ts';
import { listSymbols, type SymbolSummary } from './prices.ts';

/** What `listSymbols` must say: the aggregate of the whole prices table. */
async function aggregated(db: Database): Promise<SymbolSummary[]> {
  const list = await queryRows<{
    symbol: string;
    first_day: string;
    last_day: string;
    rows: number;
    span: number;
  }>(
    db,
    sql`select symbol, min(day)::text as first_day, max(day)::text as last_day, count(*)::int as rows,
          (max(day) - min(day) + 1)::int as span from prices group by symbol`,
  );
  return list
    .map((r) => ({
      symbol: r.symbol,
      firstDay: r.first_day,
      lastDay: r.last_day,
      rows: Number(r.rows),
      missingDays: Number(r.span) - Number(r.rows),
    }))
    .sort((a, b) =>
      a.symbol === 'ETH-USD' ? -1 : b.symbol === 'ETH-USD' ? 1 : a.symbol < b.symbol ? -1 : 1,
    );
}

describe(`prices.symbols summary (${testEngine})`, () => {
  let db: Database;
  useTestDb(
    (_, testDb) => {
      db = testDb.db;
    },
    { per: 'test' },
  );

  it('is answered without reading the prices table', async () => {
    await upsertPrices(db, generateCandles('ETH-USD', '2024-01-01', 10), 'test');
    await db
      .transaction(async (tx) => {
        // Were the list an aggregate of `prices`, it would fail with the table out of the way.
        await tx.execute(sql`alter table prices rename to prices_out_of_the_way`);
        expect(await listSymbols(tx as unknown as Database)).toMatchObject([
          { symbol: 'ETH-USD', firstDay: '2024-01-01', lastDay: '2024-01-10', rows: 10, missingDays: 0 },
        ]);
        throw new Error('roll back');
      })
      .catch((error: Error) => {
        if (error.message !== 'roll back') throw error;
      });
  });

  it('stays equal to the aggregate through imports, syncs, deletes and rollbacks', async () => {
    const eth = generateCandles('ETH-USD', '2024-01-01', 40, 1).filter((_, i) => i % 7 !== 3);
    const btc = generateCandles('BTC-USD', '2023-06-01', 25, 2);
    // a new-symbols import (COPY on PostgreSQL), then one onto stored symbols (upsert)
    await importPrices(db, Readable.from([toCsv([...eth, ...btc], 'plain-with-symbol')]));
    expect(await listSymbols(db)).toEqual(await aggregated(db));
    const later = generateCandles('ETH-USD', '2024-03-01', 5, 3);
    const sol = generateCandles('SOL-USD', '2022-01-01', 3, 4);
    await importPrices(
      db,
      Readable.from([toCsv([...later, ...sol, ...eth.slice(0, 3)], 'plain-with-symbol')]),
    );
    expect(await listSymbols(db)).toEqual(await aggregated(db));
    // a sync: new days, replaced days, one earlier day
    await upsertPrices(
      db,
      [...generateCandles('BTC-USD', '2023-05-30', 2, 5), ...generateCandles('BTC-USD', '2023-06-20', 10, 6)],
      'sync:test',
    );
    expect(await listSymbols(db)).toEqual(await aggregated(db));
    // a failed import changes nothing
    const bad = `${toCsv(generateCandles('ADA-USD', '2021-01-01', 5, 7), 'plain-with-symbol')}ADA-USD,2021-02-01,1,0.5,1,1,1\n`;
    await expect(importPrices(db, Readable.from([bad]))).rejects.toThrow(/high .* is below low/);
    expect((await listSymbols(db)).map((s) => s.symbol)).toEqual(['ETH-USD', 'BTC-USD', 'SOL-USD']);
    // deletes: first days, a middle day, a whole symbol; a key changed by an update
    await db
      .delete(prices)
      .where(and(eq(prices.symbol, 'ETH-USD'), inArray(prices.day, ['2024-01-01', '2024-01-20'])));
    await db.delete(prices).where(eq(prices.symbol, 'SOL-USD'));
    await db
      .update(prices)
      .set({ day: '2025-01-01' })
      .where(and(eq(prices.symbol, 'BTC-USD'), eq(prices.day, '2023-05-30')));
    expect(await listSymbols(db)).toEqual(await aggregated(db));
    expect((await listSymbols(db)).map((s) => s.symbol)).toEqual(['ETH-USD', 'BTC-USD']);
    await db.delete(prices);
    expect(await listSymbols(db)).toEqual([]);
  });
});
