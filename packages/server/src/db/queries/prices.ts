import { and, asc, count, desc, eq, gte, lte, max, min, sql } from 'drizzle-orm';
import type { Sql } from 'postgres';
import { type Database, preparedQuery, queryRows } from '../client.ts';
import { prices } from '../schema.ts';

export type PriceRow = {
  symbol: string;
  day: string;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number | null;
};

export type Candle = Omit<PriceRow, 'symbol'>;

/** A stored day whose values an upsert replaced. */
export type PriceChange = { symbol: string; day: string; oldClose: number; newClose: number };

export type UpsertResult = { inserted: number; updated: number; changes: PriceChange[] };

/**
 * Rows per upsert statement. The rows travel as 7 array parameters (unnest), so PostgreSQL's 65,535
 * bind-parameter limit never applies; this only bounds statement size and memory.
 */
export const UPSERT_BATCH_SIZE = 5000;

const CHANGES_SHOWN = 10;

/** The rows as seven PostgreSQL array literals, one per column, built in a single pass. */
function columnLiterals(rows: PriceRow[]): string[] {
  let symbols = '';
  let days = '';
  let opens = '';
  let highs = '';
  let lows = '';
  let closes = '';
  let volumes = '';
  for (const r of rows) {
    symbols += `,${r.symbol}`;
    days += `,${r.day}`;
    opens += `,${r.open}`;
    highs += `,${r.high}`;
    lows += `,${r.low}`;
    closes += `,${r.close}`;
    volumes += r.volume === null ? ',NULL' : `,${r.volume}`;
  }
  return [symbols, days, opens, highs, lows, closes, volumes].map((list) => `{${list.slice(1)}}`);
}

/**
 * Inserts new days and replaces days whose values differ; identical rows are not rewritten, so a
 * re-import changes nothing. Counts come from `xmax = 0` (a fresh insert) in RETURNING; the old closes
 * of replaced rows are read from the statement's snapshot, which still holds the previous values.
 * Symbols and days are validated by the caller (they contain no array-literal metacharacters).
 */
export async function upsertPrices(db: Database, rows: PriceRow[], source: string): Promise<UpsertResult> {
  if (rows.length === 0) return { inserted: 0, updated: 0, changes: [] };
  const [symbols, days, opens, highs, lows, closes, volumes] = columnLiterals(rows);
  const [result] = await queryRows<{ inserted: number; updated: number; changes: string }>(
    db,
    sql`
      with input as (
        select * from unnest(
          ${symbols}::text[], ${days}::date[],
          ${opens}::float8[], ${highs}::float8[], ${lows}::float8[], ${closes}::float8[], ${volumes}::float8[]
        ) as t(symbol, day, open, high, low, close, volume)
      ),
      upserted as (
        insert into prices (symbol, day, open, high, low, close, volume, source)
        select symbol, day, open, high, low, close, volume, ${source} from input
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

/** A value for COPY's text format: backslash, tab, newline and carriage return escaped. */
const copyText = (value: string) =>
  value.replace(/[\\\t\n\r]/g, (c) =>
    c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r',
  );

/**
 * Of `symbols`, those with at least one stored day. Takes a transaction-scoped advisory lock per symbol
 * first (in a statement of its own, so the check that follows sees rows committed meanwhile): two imports
 * that both find a symbol absent cannot both take the COPY path for it.
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
    sql`select s as symbol from unnest(${list}::text[]) as t(s) where exists (select 1 from prices p where p.symbol = t.s)`,
  );
  return new Set(rows.map((r) => r.symbol));
}

/** COPY into `prices` failed: the transaction is aborted (see copyNewPrices). */
export class CopyFailedError extends Error {
  override name = 'CopyFailedError';
}

/**
 * Writes rows of symbols that have no stored day (see lockSymbolsWithPrices) with `COPY … FROM STDIN`
 * on a PostgreSQL connection inside the caller's transaction: several times cheaper for the server than
 * the upsert. A row that exists after all (a writer that took no advisory lock) fails the COPY with a
 * unique violation, and with it the transaction. Symbols and days are validated by the caller (no tabs
 * or backslashes), and the rows satisfy the table's checks.
 *
 * postgres.js 3.4 loses an error that PostgreSQL reports after the end of the COPY data: its writable
 * never finishes and the query has already resolved. So the stream is not awaited; once the end of the
 * data is on the wire (`_final` ran) a `select 1` follows, which fails when the COPY did.
 */
export async function copyNewPrices(connection: Sql, rows: PriceRow[], source: string): Promise<number> {
  if (rows.length === 0) return 0;
  const tail = `\t${copyText(source)}\n`;
  let text = '';
  for (const r of rows) {
    text += `${r.symbol}\t${r.day}\t${r.open}\t${r.high}\t${r.low}\t${r.close}\t${r.volume === null ? '\\N' : r.volume}${tail}`;
  }
  const stream =
    await connection`copy prices (symbol, day, open, high, low, close, volume, source) from stdin`.writable();
  let streamError: unknown = null;
  stream.on('error', (error) => {
    streamError = error;
  });
  const dataSent = new Promise<void>((resolve) => {
    const final = stream._final.bind(stream);
    stream._final = (callback) => {
      final(callback);
      resolve();
    };
  });
  stream.end(text);
  await dataSent;
  try {
    await connection`select 1`;
  } catch (error) {
    throw new CopyFailedError(
      `COPY into prices failed (${(error as Error).message}): most likely another writer stored some of the same days meanwhile`,
      { cause: streamError ?? error },
    );
  }
  return rows.length;
}

export type SymbolSummary = {
  symbol: string;
  firstDay: string;
  lastDay: string;
  rows: number;
  /** calendar days absent between firstDay and lastDay */
  missingDays: number;
};

export async function listSymbols(db: Database): Promise<SymbolSummary[]> {
  const rows = await db
    .select({
      symbol: prices.symbol,
      firstDay: min(prices.day),
      lastDay: max(prices.day),
      rows: count(),
      span: sql<number>`(max(${prices.day}) - min(${prices.day}) + 1)::int`,
    })
    .from(prices)
    .groupBy(prices.symbol)
    .orderBy(asc(prices.symbol));
  return rows.map((r) => ({
    symbol: r.symbol,
    firstDay: r.firstDay ?? '',
    lastDay: r.lastDay ?? '',
    rows: r.rows,
    missingDays: Number(r.span) - r.rows,
  }));
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

const candleColumns = {
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
