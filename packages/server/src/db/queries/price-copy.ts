import type { Sql } from 'postgres';
import { CopyFailedError, CopyStream } from '../copy-stream.ts';
import type { PriceCells } from './prices.ts';

/** A value for COPY's text format: backslash, tab, newline and carriage return escaped. */
const copyText = (value: string) =>
  value.replace(/[\\\t\n\r]/g, (c) =>
    c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r',
  );

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
 * violation, and with it the transaction: `add` or `end` throws CopyFailedError. Values must be
 * validated text (no tabs or backslashes) that satisfies the table's checks.
 */
export class PriceCopy {
  private text = '';
  private rows = 0;
  private readonly tail: string;
  private readonly copy: CopyStream;

  constructor(
    connection: Sql,
    source: string,
    private readonly chunkBytes = COPY_CHUNK_BYTES,
    /** awaited before a COPY starts (a statement of the caller's still in flight) */
    private readonly beforeStart: () => Promise<void> = async () => {},
  ) {
    this.tail = `\t${copyText(source)}\n`;
    this.copy = new CopyStream(
      connection,
      (c) => c`copy prices (symbol, day, open, high, low, close, volume, source) from stdin`.writable(),
      (cause) => {
        const message = cause instanceof Error ? cause.message : String(cause);
        return new CopyFailedError(
          `COPY into prices failed (${message}): most likely another writer stored some of the same days meanwhile`,
          { cause },
        );
      },
    );
  }

  /** true while a COPY is in progress on the connection: no other query may run */
  get active(): boolean {
    return this.copy.active;
  }

  add(symbol: string, row: PriceCells): Promise<void> | undefined {
    this.text += `${symbol}\t${row.day}\t${row.open}\t${row.high}\t${row.low}\t${row.close}\t${row.volume === null ? '\\N' : row.volume}${this.tail}`;
    this.rows++;
    if (this.text.length >= this.chunkBytes) return this.send();
    return undefined;
  }

  private async started(): Promise<void> {
    if (this.copy.active) return;
    await this.beforeStart();
    await this.copy.start();
  }

  /** one chunk on the wire */
  private async send(): Promise<void> {
    await this.started();
    const text = this.text;
    this.text = '';
    await this.copy.write(text);
  }

  /**
   * Sends the rest and ends the COPY, leaving the connection free for other queries. Returns the rows
   * copied since the last `end`; throws CopyFailedError (the transaction is then aborted) if it failed.
   */
  async end(): Promise<number> {
    if (!this.copy.active && this.text === '') return 0;
    await this.started();
    const text = this.text;
    this.text = '';
    await this.copy.end(text);
    const rows = this.rows;
    this.rows = 0;
    return rows;
  }

  /** Drops unsent rows and cancels a COPY in progress (the server fails it, aborting the transaction). */
  async abort(): Promise<void> {
    this.text = '';
    this.rows = 0;
    await this.copy.abort();
  }
}
