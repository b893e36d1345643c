import { sql } from 'drizzle-orm';
import { type Database, queryRows } from '../client.ts';
import type { PriceCells, PriceRow } from './prices.ts';

/** A stored day whose values an upsert replaced. */
export type PriceChange = { symbol: string; day: string; oldClose: number; newClose: number };

export type UpsertResult = { inserted: number; updated: number; changes: PriceChange[] };

/**
 * Rows per upsert statement. The rows travel as 7 array parameters (unnest), so PostgreSQL's 65,535
 * bind-parameter limit never applies; this only bounds statement size and memory.
 */
export const UPSERT_BATCH_SIZE = 5000;

const CHANGES_SHOWN = 10;

/**
 * Rows for one upsert as seven comma-separated lists of PostgreSQL input text, one per column, grown a
 * row at a time (the importer adds validated cell text as it reads, with no per-row object). Values
 * must contain no array-literal metacharacters: validated symbols, days and decimal numbers.
 */
export class PriceColumns {
  count = 0;
  private symbols = '';
  private days = '';
  private opens = '';
  private highs = '';
  private lows = '';
  private closes = '';
  private volumes = '';

  add(symbol: string, row: PriceCells) {
    this.symbols += `,${symbol}`;
    this.days += `,${row.day}`;
    this.opens += `,${row.open}`;
    this.highs += `,${row.high}`;
    this.lows += `,${row.low}`;
    this.closes += `,${row.close}`;
    this.volumes += row.volume === null ? ',NULL' : `,${row.volume}`;
    this.count++;
  }

  /** the seven array literals */
  literals(): string[] {
    return [this.symbols, this.days, this.opens, this.highs, this.lows, this.closes, this.volumes].map(
      (list) => `{${list.slice(1)}}`,
    );
  }
}

/** See upsertPriceColumns. */
export async function upsertPrices(db: Database, rows: PriceRow[], source: string): Promise<UpsertResult> {
  const columns = new PriceColumns();
  for (const r of rows) {
    columns.add(r.symbol, {
      day: r.day,
      open: String(r.open),
      high: String(r.high),
      low: String(r.low),
      close: String(r.close),
      volume: r.volume === null ? null : String(r.volume),
    });
  }
  return upsertPriceColumns(db, columns, source);
}

/**
 * Inserts new days and replaces days whose values differ; identical rows are not rewritten, so a
 * re-import changes nothing. Rows equal to the stored ones are dropped by a read-only check before the
 * insert: `on conflict do update` locks (and so writes) every conflicting row even when its `where`
 * then skips it, which made a re-import cost the server more than a first import. The check is a
 * correlated scalar subquery with `limit 1`, a primary-key index probe per row, rather than
 * `not exists`: right after a bulk load (no statistics yet) the planner turned that into a hash join
 * over the whole table for every batch. A row stored concurrently after the statement's snapshot still goes through
 * `on conflict`. Counts come from
 * `xmax = 0` (a fresh insert) in RETURNING; the old closes of replaced rows are read from the
 * statement's snapshot, which still holds the previous values.
 */
export async function upsertPriceColumns(
  db: Database,
  columns: PriceColumns,
  source: string,
): Promise<UpsertResult> {
  if (columns.count === 0) return { inserted: 0, updated: 0, changes: [] };
  const [symbols, days, opens, highs, lows, closes, volumes] = columns.literals();
  const [result] = await queryRows<{ inserted: number; updated: number; changes: string }>(
    db,
    sql`
      with input as (
        select * from unnest(
          ${symbols}::text[], ${days}::date[],
          ${opens}::float8[], ${highs}::float8[], ${lows}::float8[], ${closes}::float8[], ${volumes}::float8[]
        ) as t(symbol, day, open, high, low, close, volume)
      ),
      differing as (
        select i.* from input i
        where (
          select (p.open, p.high, p.low, p.close, p.volume)
            is not distinct from (i.open, i.high, i.low, i.close, i.volume)
          from prices p where p.symbol = i.symbol and p.day = i.day
          limit 1
        ) is not true
      ),
      upserted as (
        insert into prices (symbol, day, open, high, low, close, volume, source)
        select symbol, day, open, high, low, close, volume, ${source} from differing
        on conflict (symbol, day) do update set
          open = excluded.open, high = excluded.high, low = excluded.low, close = excluded.close,
          volume = excluded.volume, source = excluded.source, updated_at = now()
        where (prices.open, prices.high, prices.low, prices.close, prices.volume)
          is distinct from (excluded.open, excluded.high, excluded.low, excluded.close, excluded.volume)
        returning symbol, day, close, (xmax = 0) as inserted
      )
      select
        (select count(*) from upserted where inserted)::int as inserted,
        (select count(*) from upserted where not inserted)::int as updated,
        (select coalesce(json_agg(c), '[]')::text from (
          select u.symbol, u.day::text as day, u.close as "newClose",
            (select p.close from prices p where p.symbol = u.symbol and p.day = u.day) as "oldClose"
          from upserted u
          where not u.inserted
          order by u.symbol, u.day
          limit ${CHANGES_SHOWN}
        ) c) as changes
    `,
  );
  if (!result) throw new Error('upsert returned no summary row');
  return {
    inserted: Number(result.inserted),
    updated: Number(result.updated),
    changes: JSON.parse(result.changes) as PriceChange[],
  };
}
