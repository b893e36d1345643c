import type { Sql } from 'postgres';
import type { Database } from '../db/client.ts';
import { PriceCopy } from '../db/queries/price-copy.ts';
import { lockSymbolsWithPrices } from '../db/queries/price-locks.ts';
import {
  type PriceChange,
  PriceColumns,
  type UpsertResult,
  upsertPriceColumns,
} from '../db/queries/price-upsert.ts';
import type { PriceCells } from '../db/queries/prices.ts';
import type { RowSink, SymbolState } from './import-rows.ts';

export type Totals = { inserted: number; updated: number; changes: PriceChange[] };

/** Where an import's good rows go, inside its transaction. */
export type RowWriter = RowSink & {
  finish(): Promise<Totals>;
  /** after a failure: leaves the connection ready for the rollback */
  abort(): Promise<void>;
};

const CHANGES_KEPT = 10;

/** Upserts in batches of `batchSize`, one statement in flight while the next batch is read. */
class UpsertBatches {
  readonly totals: Totals = { inserted: 0, updated: 0, changes: [] };
  private columns = new PriceColumns();
  private inFlight: Promise<void> | null = null;
  private error: unknown = null;

  constructor(
    private readonly tx: Database,
    private readonly source: string,
    private readonly batchSize: number,
    /** awaited before a statement is sent (PostgreSQL: ends a COPY in progress) */
    private readonly beforeSend: () => Promise<void> = async () => {},
  ) {}

  add(symbol: string, row: PriceCells): Promise<void> | undefined {
    this.columns.add(symbol, row);
    if (this.columns.count >= this.batchSize) return this.flush();
    return undefined;
  }

  /** Sends the rows collected so far once the statement in flight is done; does not wait for it. */
  async flush(): Promise<void> {
    await this.settle();
    if (this.columns.count === 0) return;
    await this.beforeSend();
    const columns = this.columns;
    this.columns = new PriceColumns();
    this.inFlight = upsertPriceColumns(this.tx, columns, this.source).then(
      (result) => this.accumulate(result),
      (error: unknown) => {
        this.error ??= error;
      },
    );
  }

  /** Waits for the statement in flight; throws the error of a failed one. */
  async settle(): Promise<void> {
    if (this.inFlight) {
      await this.inFlight;
      this.inFlight = null;
    }
    if (this.error !== null) throw this.error;
  }

  private accumulate(result: UpsertResult) {
    this.totals.inserted += result.inserted;
    this.totals.updated += result.updated;
    if (this.totals.changes.length < CHANGES_KEPT) {
      this.totals.changes.push(...result.changes.slice(0, CHANGES_KEPT - this.totals.changes.length));
    }
  }
}

/** PGlite (or any Database not made by createDb): every row through the upsert. */
export class UpsertWriter implements RowWriter {
  private readonly batches: UpsertBatches;

  constructor(tx: Database, source: string, batchSize: number) {
    this.batches = new UpsertBatches(tx, source, batchSize);
  }

  add(state: SymbolState, row: PriceCells) {
    return this.batches.add(state.symbol, row);
  }

  async finish() {
    await this.batches.flush();
    await this.batches.settle();
    return this.batches.totals;
  }

  async abort() {
    await this.batches.settle().catch(() => {});
  }
}

/**
 * The PostgreSQL writer. At a symbol's first rows it takes the symbol's advisory lock and checks
 * whether it has any stored day (lockSymbolsWithPrices). Rows of symbols without one stream into a COPY
 * that stays open across symbols (nothing to compare them with: all inserts; the file holds no
 * duplicate day, so a symbol's later rows are new as well); the others go through the upsert. The COPY
 * ends only when the connection must run a statement: a lookup, an upsert batch, or the end of the file.
 */
export class CopyingWriter implements RowWriter {
  private readonly upserts: UpsertBatches;
  private readonly copy: PriceCopy;
  private copied = 0;

  constructor(
    private readonly tx: Database,
    connection: Sql,
    source: string,
    batchSize: number,
    chunkBytes: number,
    /** unseen symbols of the lines ahead, looked up with the one at hand */
    private readonly upcomingSymbols: () => Promise<SymbolState[]>,
  ) {
    this.upserts = new UpsertBatches(tx, source, batchSize, () => this.endCopy());
    this.copy = new PriceCopy(connection, source, chunkBytes, () => this.upserts.settle());
  }

  add(state: SymbolState, row: PriceCells): Promise<void> | undefined {
    if (state.stored === false) return this.copy.add(state.symbol, row);
    if (state.stored === true) return this.upserts.add(state.symbol, row);
    const kept = { ...row }; // the reader reuses `row`
    return this.lookUp(state).then(() => this.add(state, kept));
  }

  private async endCopy() {
    if (this.copy.active) this.copied += await this.copy.end();
  }

  private async lookUp(state: SymbolState) {
    const unseen = new Set([state, ...(await this.upcomingSymbols())]);
    await this.endCopy();
    await this.upserts.settle();
    const stored = await lockSymbolsWithPrices(
      this.tx,
      [...unseen].map((s) => s.symbol),
    );
    for (const s of unseen) s.stored = stored.has(s.symbol);
  }

  async finish() {
    this.copied += await this.copy.end();
    await this.upserts.flush();
    await this.upserts.settle();
    const { inserted, updated, changes } = this.upserts.totals;
    return { inserted: inserted + this.copied, updated, changes };
  }

  async abort() {
    await this.copy.abort();
    await this.upserts.settle().catch(() => {});
  }
}
