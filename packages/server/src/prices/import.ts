import { createReadStream, type ReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import { dayFromNumber } from '@ethcast/days';
import {
  type CsvFormat,
  compareSymbols,
  detectFormat,
  emptyRowFields,
  type FormatName,
  type LineBatch,
  lineBatches,
  type RowFields,
  readRecord,
  splitLine,
} from '@ethcast/forecast';
import type { Sql } from 'postgres';
import { type Database, withPostgresTransaction } from '../db/client.ts';
import {
  COPY_CHUNK_BYTES,
  lockPriceImports,
  lockSymbolsWithPrices,
  type PriceChange,
  PriceColumns,
  PriceCopy,
  UPSERT_BATCH_SIZE,
  type UpsertResult,
  upsertPriceColumns,
} from '../db/queries/prices.ts';
import { isValidSymbol } from '../domain/symbol.ts';
import { DaySet } from './day-set.ts';

export type ImportProgress = { rowsRead: number; bytesRead: number; totalBytes: number | null };

export type ImportOptions = {
  /** symbol for files without a symbol column; with one, rows of other symbols are rejected */
  symbol?: string;
  /** write the good rows and list the bad ones instead of failing the whole import */
  skipBad?: boolean;
  /** recorded in `prices.source`; default `file:<name>` */
  source?: string;
  /** rows per upsert statement */
  batchSize?: number;
  /** PostgreSQL: characters of COPY text sent at a time */
  copyChunkBytes?: number;
  onProgress?: (progress: ImportProgress) => void;
};

export type BadRow = { line: number; reason: string };

export type SymbolImport = {
  symbol: string;
  rows: number;
  firstDay: string;
  lastDay: string;
  /** calendar days absent between firstDay and lastDay in this file */
  missingDays: number;
  missingSample: string[];
};

export type ImportReport = {
  format: FormatName;
  source: string;
  rowsRead: number;
  inserted: number;
  updated: number;
  unchanged: number;
  skipped: number;
  firstDay: string | null;
  lastDay: string | null;
  missingDays: number;
  symbols: SymbolImport[];
  /** the first few replaced days, with old and new close */
  changes: PriceChange[];
  /** the first few rejected rows (all were skipped with `skipBad`) */
  badRows: BadRow[];
};

/** The import wrote nothing; `badRows` lists the first rejected rows (with line numbers). */
export class PriceImportError extends Error {
  override name = 'PriceImportError';
  constructor(
    message: string,
    readonly badRows: BadRow[] = [],
    readonly badCount = badRows.length,
  ) {
    super(message);
  }
}

const BAD_ROWS_KEPT = 20;
const SAMPLE_SIZE = 10;
const PROGRESS_EVERY_ROWS = 4096;

/** Imports a daily price CSV from a path or a stream. See @ethcast/forecast's data/price-file/formats.ts for the accepted layouts. */
export async function importPrices(
  db: Database,
  input: string | Readable,
  options: ImportOptions = {},
): Promise<ImportReport> {
  const fixedSymbol = options.symbol?.trim().toUpperCase();
  if (fixedSymbol !== undefined && !isValidSymbol(fixedSymbol)) {
    throw new PriceImportError(`invalid symbol "${options.symbol}": use BASE-QUOTE like ETH-USD`);
  }
  let totalBytes: number | null = null;
  let stream: Readable | ReadStream;
  if (typeof input === 'string') {
    try {
      const info = await stat(input);
      if (!info.isFile()) throw new PriceImportError(`${input} is not a file`);
      totalBytes = info.size;
    } catch (error) {
      if (error instanceof PriceImportError) throw error;
      throw new PriceImportError(`cannot read ${input}: ${(error as Error).message.split('\n')[0]}`);
    }
    stream = createReadStream(input, { highWaterMark: 1 << 20 });
  } else {
    stream = input;
  }
  const source = options.source ?? (typeof input === 'string' ? `file:${basename(input)}` : 'stream');

  try {
    let bytesRead = 0;
    const batches = lineBatches(stream as AsyncIterable<Buffer | string>, (n) => {
      bytesRead += n;
    });
    // Enough of the file to see the (up to three) header lines.
    const head: LineBatch[] = [];
    const firstLines: string[] = [];
    while (firstLines.length < 4) {
      const next = await batches.next();
      if (next.done) break;
      head.push(next.value);
      for (const line of next.value.lines) if (line.trim() && firstLines.length < 4) firstLines.push(line);
    }
    let format: CsvFormat;
    try {
      format = detectFormat(firstLines);
    } catch (error) {
      throw new PriceImportError((error as Error).message);
    }
    if (format.columns.symbol === null && fixedSymbol === undefined) {
      throw new PriceImportError('no symbol: pass --symbol (the file has no symbol column)');
    }
    async function* allBatches() {
      yield* head;
      yield* batches;
    }

    const batchSize = options.batchSize ?? UPSERT_BATCH_SIZE;
    const copyChunkBytes = options.copyChunkBytes ?? COPY_CHUNK_BYTES;
    const strict = !options.skipBad;
    const states = new Map<string, SymbolState>();
    const badRows: BadRow[] = [];
    let badCount = 0;
    let rowsRead = 0;
    const progress = () => options.onProgress?.({ rowsRead, bytesRead, totalBytes });
    const reject = (line: number, reason: string) => {
      badCount++;
      if (badRows.length < BAD_ROWS_KEPT) badRows.push({ line, reason });
    };
    const stateOf = (symbol: string) => {
      let state = states.get(symbol);
      if (!state) {
        state = { symbol, days: new DaySet(), stored: null };
        states.set(symbol, state);
      }
      return state;
    };
    const fixedState = fixedSymbol === undefined ? null : stateOf(fixedSymbol);

    // Lines are read in batches (one per chunk of the file); `ahead` holds batches read early by
    // upcomingSymbols.
    const lines = allBatches();
    const readBatch = async () => {
      const next = await lines.next();
      return next.done ? null : next.value;
    };
    let batch: LineBatch = { lines: [], plain: true };
    let index = 0;
    const ahead: LineBatch[] = [];
    const symbolColumn = format.columns.symbol;

    /**
     * States of the valid symbols without a decision (see SymbolState.stored) in the next
     * LOOKAHEAD_LINES lines, reading ahead as needed: the writer looks them all up at once.
     */
    const upcomingSymbols = async (): Promise<SymbolState[]> => {
      const found = new Set<SymbolState>();
      if (symbolColumn === null) return [];
      let left = LOOKAHEAD_LINES;
      let lastCell: string | null = null;
      const scan = (lines: string[], from: number) => {
        for (let i = from; i < lines.length && left > 0; i++, left--) {
          const cell = cellAt(lines[i] as string, format.delimiter, symbolColumn);
          if (cell === null || cell === lastCell) continue;
          lastCell = cell;
          const symbol = cell.toUpperCase();
          if (!isValidSymbol(symbol) || (fixedSymbol !== undefined && symbol !== fixedSymbol)) continue;
          const state = stateOf(symbol);
          if (state.stored === null) found.add(state);
        }
      };
      scan(batch.lines, index);
      for (const next of ahead) scan(next.lines, 0);
      while (left > 0) {
        const next = await readBatch();
        if (next === null) break;
        ahead.push(next);
        scan(next.lines, 0);
      }
      return [...found];
    };

    /** Reads, validates and hands every good row to `writer`; the hot loop of an import. */
    const readAll = async (writer: RowWriter) => {
      const fields = emptyRowFields();
      const delimiter = format.delimiter;
      // Files are mostly grouped by symbol: the last symbol cell seen is validated once, not per row.
      let lastCell: string | null = null;
      let lastState: SymbolState | null = null;
      let headerLeft = format.headerRecords;
      let lineNo = 0;
      for (;;) {
        if (index >= batch.lines.length) {
          const next = ahead.shift() ?? (await readBatch());
          if (next === null) break;
          batch = next;
          index = 0;
          continue;
        }
        const line = batch.lines[index++] as string;
        lineNo++;
        const first = line.charCodeAt(0);
        if (line.length === 0 || ((first <= 32 || first > 126) && line.trim() === '')) continue;
        if (headerLeft > 0) {
          headerLeft--;
          continue;
        }
        rowsRead++;
        if (rowsRead % PROGRESS_EVERY_ROWS === 0) progress();
        const record = batch.plain ? line.split(delimiter) : splitLine(line, delimiter);
        if (typeof record === 'string') {
          reject(lineNo, record);
          continue;
        }
        const reason = readRecord(format, record, fields);
        if (reason !== null) {
          reject(lineNo, reason);
          continue;
        }
        const cell = fields.symbolCell;
        let state: SymbolState;
        if (cell === null) {
          state = fixedState as SymbolState; // no symbol column: --symbol is required
        } else if (cell === lastCell && lastState !== null) {
          state = lastState;
        } else {
          const symbol = cell.toUpperCase();
          if (!isValidSymbol(symbol)) {
            reject(lineNo, `invalid symbol "${symbol}"`);
            continue;
          }
          if (fixedSymbol !== undefined && symbol !== fixedSymbol) {
            reject(lineNo, `symbol ${symbol} does not match --symbol ${fixedSymbol}`);
            continue;
          }
          state = stateOf(symbol);
          lastCell = cell;
          lastState = state;
        }
        if (!state.days.add(fields.dayNumber)) {
          reject(lineNo, `duplicate day ${fields.day} for ${state.symbol} in this file`);
          continue;
        }
        // After the first bad row of a strict import nothing more is written; reading goes on
        // only to list further bad rows.
        if (strict && badCount > 0) continue;
        const wait = writer.add(state, fields);
        if (wait) await wait;
      }
      if (strict && badCount > 0) {
        const first = badRows[0];
        throw new PriceImportError(
          `line ${first?.line}: ${first?.reason}${badCount > 1 ? ` (and ${badCount - 1} more bad rows)` : ''}; nothing was imported (use --skip-bad to import the good rows)`,
          badRows,
          badCount,
        );
      }
      return writer.finish();
    };
    const run = async (writer: RowWriter) => {
      try {
        return await readAll(writer);
      } catch (error) {
        await writer.abort();
        throw error;
      }
    };
    const onPostgres = await withPostgresTransaction(db, async (tx, connection) => {
      await lockPriceImports(tx);
      return run(new CopyingWriter(tx, connection, source, batchSize, copyChunkBytes, upcomingSymbols));
    });
    const totals =
      onPostgres?.value ??
      (await db.transaction(async (tx) => {
        await lockPriceImports(tx);
        return run(new UpsertWriter(tx, source, batchSize));
      }));
    progress();

    const symbols: SymbolImport[] = [...states.values()]
      .filter(({ days }) => days.size > 0)
      .sort((a, b) => compareSymbols(a.symbol, b.symbol))
      .map(({ symbol, days }) => ({
        symbol,
        rows: days.size,
        firstDay: dayFromNumber(days.first ?? 0),
        lastDay: dayFromNumber(days.last ?? 0),
        missingDays: days.missingCount,
        missingSample: days.missingSample(SAMPLE_SIZE),
      }));
    const good = symbols.reduce((sum, s) => sum + s.rows, 0);
    return {
      format: format.name,
      source,
      rowsRead,
      inserted: totals.inserted,
      updated: totals.updated,
      unchanged: good - totals.inserted - totals.updated,
      skipped: badCount,
      firstDay: symbols.reduce<string | null>(
        (d, s) => (d === null || s.firstDay < d ? s.firstDay : d),
        null,
      ),
      lastDay: symbols.reduce<string | null>((d, s) => (d === null || s.lastDay > d ? s.lastDay : d), null),
      missingDays: symbols.reduce((sum, s) => sum + s.missingDays, 0),
      symbols,
      changes: totals.changes,
      badRows,
    };
  } finally {
    stream.destroy();
  }
}

type SymbolState = {
  symbol: string;
  days: DaySet;
  /** PostgreSQL: whether it had stored days when first seen (under its advisory lock); null until then */
  stored: boolean | null;
};

type Totals = { inserted: number; updated: number; changes: PriceChange[] };

/** Where good rows go. `add` returns a promise when the caller must wait before reading on. */
type RowWriter = {
  add(state: SymbolState, row: RowFields): Promise<void> | undefined;
  finish(): Promise<Totals>;
  /** after a failure: leaves the connection ready for the rollback */
  abort(): Promise<void>;
};

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

  add(symbol: string, row: UpsertRow): Promise<void> | undefined {
    this.columns.add(symbol, row.day, row.open, row.high, row.low, row.close, row.volume);
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
    if (this.totals.changes.length < SAMPLE_SIZE) {
      this.totals.changes.push(...result.changes.slice(0, SAMPLE_SIZE - this.totals.changes.length));
    }
  }
}

/** PGlite (or any Database not made by createDb): every row through the upsert. */
class UpsertWriter implements RowWriter {
  private readonly batches: UpsertBatches;

  constructor(tx: Database, source: string, batchSize: number) {
    this.batches = new UpsertBatches(tx, source, batchSize);
  }

  add(state: SymbolState, row: RowFields) {
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

/** A row as the upsert batches take it. */
type UpsertRow = Pick<RowFields, 'day' | 'open' | 'high' | 'low' | 'close' | 'volume'>;

/**
 * Lines read ahead for the symbols to look up together with an unseen one. A COPY has to end for each
 * lookup, and on this project's connections (no TCP_NODELAY) the statements after a COPY wait ~40 ms
 * each for the server's delayed ACK: a file grouped by symbol would stall at every new symbol.
 * 65,536 lines (~6.5 MB of a typical file) import the 1M-row benchmark file about as fast as 131,072
 * with 30–60 MB less peak RSS; 16,384 were clearly slower.
 */
const LOOKAHEAD_LINES = 65_536;

/**
 * The PostgreSQL writer. At a symbol's first rows it takes the symbol's advisory lock and checks
 * whether it has any stored day (lockSymbolsWithPrices). Rows of symbols without one stream into a COPY
 * that stays open across symbols (nothing to compare them with: all inserts; the file holds no
 * duplicate day, so a symbol's later rows are new as well); the others go through the upsert. The COPY
 * ends only when the connection must run a statement: a lookup, an upsert batch, or the end of the file.
 */
class CopyingWriter implements RowWriter {
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

  add(state: SymbolState, row: RowFields): Promise<void> | undefined {
    if (state.stored === false) {
      return this.copy.add(state.symbol, row.day, row.open, row.high, row.low, row.close, row.volume);
    }
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

/** The cell at `index` of an unquoted line (trimmed), or null: a cheap look at the symbol column. */
function cellAt(line: string, delimiter: string, index: number): string | null {
  if (line.includes('"')) return null;
  let start = 0;
  for (let k = 0; k < index; k++) {
    const at = line.indexOf(delimiter, start);
    if (at < 0) return null;
    start = at + 1;
  }
  const end = line.indexOf(delimiter, start);
  const cell = end < 0 ? line.slice(start) : line.slice(start, end);
  return cell.trim();
}
