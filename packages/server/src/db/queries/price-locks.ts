import { sql } from 'drizzle-orm';
import { type Database, queryRows } from '../client.ts';

/**
 * Serializes price imports (a transaction-scoped advisory lock, released at commit or rollback). An import
 * meets its symbols as it reads the file and locks each at first sight (lockSymbolsWithPrices), so two
 * imports that meet the same symbols in different orders would each hold one and wait for the other: a
 * deadlock that PostgreSQL resolves by failing one of them. Imports are rare and long, so the second one
 * waits for the first instead. Single-symbol writers (sync) take only that symbol's lock and cannot form
 * a cycle.
 */
export async function lockPriceImports(db: Database): Promise<void> {
  await queryRows(db, sql`select pg_advisory_xact_lock(hashtext('ethcast.prices-import'))`);
}

/**
 * Of `symbols`, those with at least one stored day. Takes a transaction-scoped advisory lock per symbol
 * first (in a statement of its own, so the check that follows sees rows committed meanwhile): two imports
 * that both find a symbol absent cannot both take the COPY path for it. The check is `min(day)`, an
 * index probe: an `exists` semi-join became a scan of the whole table per call right after a bulk load
 * (no statistics yet).
 */
export async function lockSymbolsWithPrices(db: Database, symbols: string[]): Promise<Set<string>> {
  if (symbols.length === 0) return new Set();
  const list = `{${[...symbols].sort().join(',')}}`;
  await queryRows(
    db,
    sql`select pg_advisory_xact_lock(hashtext('ethcast.prices:' || s)) from unnest(${list}::text[]) with ordinality as t(s, n) order by n`,
  );
  const rows = await queryRows<{ symbol: string }>(
    db,
    sql`select s as symbol from unnest(${list}::text[]) as t(s) where (select min(p.day) from prices p where p.symbol = t.s) is not null`,
  );
  return new Set(rows.map((r) => r.symbol));
}
