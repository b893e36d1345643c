import type { Writable } from 'node:stream';
import { sortBySymbol } from '@ethcast/forecast';
import { and, count, desc, eq, gte, lte, max, min, sql } from 'drizzle-orm';
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

  add(
    symbol: string,
    day: string,
    open: string,
    high: string,
    low: string,
    close: string,
    volume: string | null,
  ) {
    this.symbols += `,${symbol}`;
    this.days += `,${day}`;
    this.opens += `,${open}`;
    this.highs += `,${high}`;
    this.lows += `,${low}`;
    this.closes += `,${close}`;
    this.volumes += volume === null ? ',NULL' : `,${volume}`;
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
    columns.add(
      r.symbol,
      r.day,
      String(r.open),
      String(r.high),
      String(r.low),
      String(r.close),
      r.volume === null ? null : String(r.volume),
    );
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

/** A value for COPY's text format: backslash, tab, newline and carriage return escaped. */
const copyText = (value: string) =>
  value.replace(/[\\\t\n\r]/g, (c) =>
    c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r',
  );

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

/** COPY into `prices` failed: the transaction is aborted (see PriceCopy). */
export class CopyFailedError extends Error {
  override name = 'CopyFailedError';
}

/** Resolves at the stream's next 'drain', 'error' or 'close', whichever comes first. */
function drained(stream: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('error', done);
      stream.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('error', done);
    stream.on('close', done);
  });
}

export const COPY_CHUNK_BYTES = 128 * 1024;

/**
 * Rows of symbols that have no stored day (see lockSymbolsWithPrices) streamed into `prices` with one
 * `COPY … FROM STDIN` on a PostgreSQL connection inside the caller's transaction: several times cheaper
 * for the server than the upsert, and the server ingests one chunk while the caller reads the next.
 * Rows collect as text up to `chunkBytes`; the COPY starts with the first full chunk (or at `end`) and
 * stays open until `end`, which the caller must call before it runs any other query on the connection.
 * When the socket cannot take a chunk yet, `add` returns a promise to await (backpressure).
 *
 * A row that exists after all (a writer that took no advisory lock) fails the COPY with a unique
 * violation, and with it the transaction. Values must be validated text (no tabs or backslashes) that
 * satisfies the table's checks. postgres.js 3.4 loses an error that PostgreSQL reports after the end of
 * the COPY data: its writable never finishes and the query has already resolved. So `end` does not
 * wait for the stream to finish; once the end of the data is on the wire (`_final` ran) a `select 1`
 * follows, which fails when the COPY did. An error reported mid-COPY destroys the stream: the next
 * chunk throws.
 */
export class PriceCopy {
  private text = '';
  private stream: Writable | null = null;
  private streamError: unknown = null;
  private rows = 0;
  private readonly tail: string;

  constructor(
    private readonly connection: Sql,
    source: string,
    private readonly chunkBytes = COPY_CHUNK_BYTES,
    /** awaited before a COPY starts (a statement of the caller's still in flight) */
    private readonly beforeStart: () => Promise<void> = async () => {},
  ) {
    this.tail = `\t${copyText(source)}\n`;
  }

  /** true while a COPY is in progress on the connection: no other query may run */
  get active(): boolean {
    return this.stream !== null;
  }

  add(
    symbol: string,
    day: string,
    open: string,
    high: string,
    low: string,
    close: string,
    volume: string | null,
  ): Promise<void> | undefined {
    this.text += `${symbol}\t${day}\t${open}\t${high}\t${low}\t${close}\t${volume === null ? '\\N' : volume}${this.tail}`;
    this.rows++;
    if (this.text.length >= this.chunkBytes) return this.send();
    return undefined;
  }

  private failure(cause: unknown): CopyFailedError {
    const message = cause instanceof Error ? cause.message : String(cause);
    return new CopyFailedError(
      `COPY into prices failed (${message}): most likely another writer stored some of the same days meanwhile`,
      { cause },
    );
  }

  private async start(): Promise<Writable> {
    await this.beforeStart();
    const stream = await this
      .connection`copy prices (symbol, day, open, high, low, close, volume, source) from stdin`.writable();
    this.streamError = null;
    stream.on('error', (error) => {
      this.streamError = error;
    });
    this.stream = stream;
    return stream;
  }

  private async send(): Promise<void> {
    const stream = this.stream ?? (await this.start());
    const text = this.text;
    this.text = '';
    if (this.streamError === null && !stream.destroyed && !stream.write(text)) await drained(stream);
    // The server reported an error mid-COPY: postgres.js destroyed the stream with it.
    if (this.streamError !== null || stream.destroyed) throw this.failure(this.streamError);
  }

  /**
   * Sends the rest and ends the COPY, leaving the connection free for other queries. Returns the rows
   * copied since the last `end`; throws CopyFailedError (the transaction is then aborted) if it failed.
   */
  async end(): Promise<number> {
    if (this.stream === null && this.text === '') return 0;
    const stream = this.stream ?? (await this.start());
    const dataSent = new Promise<void>((resolve) => {
      const final = stream._final?.bind(stream);
      stream._final = (callback) => {
        final?.(callback);
        resolve();
      };
      stream.once('close', () => resolve());
    });
    stream.end(this.text);
    this.text = '';
    await dataSent;
    this.stream = null;
    try {
      await this.connection`select 1`;
    } catch (error) {
      throw this.failure(this.streamError ?? error);
    }
    if (this.streamError !== null) throw this.failure(this.streamError);
    const rows = this.rows;
    this.rows = 0;
    return rows;
  }

  /** Drops unsent rows and cancels a COPY in progress (the server fails it, aborting the transaction). */
  async abort(): Promise<void> {
    this.text = '';
    this.rows = 0;
    const stream = this.stream;
    this.stream = null;
    if (!stream || stream.destroyed) return;
    const closed = new Promise((resolve) => stream.once('close', resolve));
    stream.destroy(new Error('import cancelled'));
    await closed;
  }
}

export type SymbolSummary = {
  symbol: string;
  firstDay: string;
  lastDay: string;
  rows: number;
  /** calendar days absent between firstDay and lastDay */
  missingDays: number;
};

/** In the order every symbol list is shown: ETH-USD first, then alphabetically. */
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
    .groupBy(prices.symbol);
  return sortBySymbol(
    rows.map((r) => ({
      symbol: r.symbol,
      firstDay: r.firstDay ?? '',
      lastDay: r.lastDay ?? '',
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
