import { createReadStream, type ReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import { CsvError } from 'csv-parse';
import { parse as parseCsv } from 'csv-parse/sync';
import type { Sql } from 'postgres';
import { type Database, withPostgresTransaction } from '../db/client.ts';
import {
  copyNewPrices,
  lockSymbolsWithPrices,
  type PriceChange,
  type PriceRow,
  UPSERT_BATCH_SIZE,
  type UpsertResult,
  upsertPrices,
} from '../db/queries/prices.ts';
import { dayFromNumber } from './day.ts';
import { DaySet } from './day-set.ts';
import { type CsvFormat, detectFormat, type FormatName, parseRecord } from './formats.ts';
import { lineBatches } from './lines.ts';
import { isValidSymbol } from './symbol.ts';

export type ImportProgress = { rowsRead: number; bytesRead: number; totalBytes: number | null };

export type ImportOptions = {
  /** symbol for files without a symbol column; with one, rows of other symbols are rejected */
  symbol?: string;
  /** write the good rows and list the bad ones instead of failing the whole import */
  skipBad?: boolean;
  /** recorded in `prices.source`; default `file:<name>` */
  source?: string;
  batchSize?: number;
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

/** Imports a daily price CSV from a path or a stream. See ./formats.ts for the accepted layouts. */
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
    const head: string[][] = [];
    const firstLines: string[] = [];
    while (firstLines.length < 4) {
      const next = await batches.next();
      if (next.done) break;
      head.push(next.value);
      for (const line of next.value) if (line.trim() && firstLines.length < 4) firstLines.push(line);
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
    const strict = !options.skipBad;
    const daySets = new Map<string, DaySet>();
    const badRows: BadRow[] = [];
    let badCount = 0;
    let rowsRead = 0;
    const totals = { inserted: 0, updated: 0, changes: [] as PriceChange[] };
    const progress = () => options.onProgress?.({ rowsRead, bytesRead, totalBytes });
    const reject = (line: number, reason: string): null => {
      badCount++;
      if (badRows.length < BAD_ROWS_KEPT) badRows.push({ line, reason });
      return null;
    };

    /** The row to write, or null after rejecting it. */
    const accept = (line: string, lineNo: number): PriceRow | null => {
      const record = splitLine(line, format.delimiter);
      if (typeof record === 'string') return reject(lineNo, record);
      const parsed = parseRecord(format, record);
      if (!parsed.ok) return reject(lineNo, parsed.reason);
      const candle = parsed.candle;
      const symbol = candle.symbol ?? fixedSymbol ?? '';
      if (candle.symbol !== null) {
        if (!isValidSymbol(symbol)) return reject(lineNo, `invalid symbol "${symbol}"`);
        if (fixedSymbol !== undefined && symbol !== fixedSymbol) {
          return reject(lineNo, `symbol ${symbol} does not match --symbol ${fixedSymbol}`);
        }
      }
      let days = daySets.get(symbol);
      if (!days) {
        days = new DaySet();
        daySets.set(symbol, days);
      }
      if (!days.add(candle.dayNumber)) {
        return reject(lineNo, `duplicate day ${candle.day} for ${symbol} in this file`);
      }
      const { open, high, low, close, volume, day } = candle;
      return { symbol, day, open, high, low, close, volume };
    };

    const writeAll = async (write: (rows: PriceRow[]) => Promise<UpsertResult>) => {
      let batch: PriceRow[] = [];
      let pending: Promise<void> | null = null;
      let writeError: unknown = null;
      const accumulate = (result: UpsertResult) => {
        totals.inserted += result.inserted;
        totals.updated += result.updated;
        if (totals.changes.length < SAMPLE_SIZE) {
          totals.changes.push(...result.changes.slice(0, SAMPLE_SIZE - totals.changes.length));
        }
      };
      // One statement in flight while the next batch is parsed: parsing and writing overlap.
      const flush = async () => {
        if (pending) await pending;
        if (writeError) throw writeError;
        if (batch.length === 0) return;
        const rows = batch;
        batch = [];
        pending = write(rows).then(accumulate, (error: unknown) => {
          writeError = error;
        });
      };

      let headerLeft = format.headerRecords;
      let lineNo = 0;
      for await (const lines of allBatches()) {
        for (const line of lines) {
          lineNo++;
          if (line.trim() === '') continue;
          if (headerLeft > 0) {
            headerLeft--;
            continue;
          }
          rowsRead++;
          if (rowsRead % PROGRESS_EVERY_ROWS === 0) progress();
          const row = accept(line, lineNo);
          // After the first bad row of a strict import nothing more is written; reading goes on
          // only to list further bad rows.
          if (row && !(strict && badCount > 0)) {
            batch.push(row);
            if (batch.length >= batchSize) await flush();
          }
        }
      }
      if (strict && badCount > 0) {
        if (pending) await pending;
        const first = badRows[0];
        throw new PriceImportError(
          `line ${first?.line}: ${first?.reason}${badCount > 1 ? ` (and ${badCount - 1} more bad rows)` : ''}; nothing was imported (use --skip-bad to import the good rows)`,
          badRows,
          badCount,
        );
      }
      await flush();
      if (pending) await pending;
      if (writeError) throw writeError;
    };
    const onPostgres = await withPostgresTransaction(db, (tx, connection) =>
      writeAll(copyingWriter(tx, connection, source)),
    );
    if (!onPostgres) await db.transaction((tx) => writeAll((rows) => upsertPrices(tx, rows, source)));
    progress();

    const symbols: SymbolImport[] = [...daySets.entries()]
      .filter(([, days]) => days.size > 0)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([symbol, days]) => ({
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

/**
 * The PostgreSQL writer: rows of symbols with no stored day go in with COPY (nothing to compare them
 * with, so they are all inserts), the others through the upsert. Each symbol is looked up once, at its
 * first batch; the file holds no duplicate (symbol, day), so a symbol's later rows are new as well.
 */
function copyingWriter(
  tx: Database,
  connection: Sql,
  source: string,
): (rows: PriceRow[]) => Promise<UpsertResult> {
  const isNew = new Map<string, boolean>();
  return async (rows) => {
    const unseen = new Set<string>();
    for (const r of rows) if (!isNew.has(r.symbol)) unseen.add(r.symbol);
    if (unseen.size > 0) {
      const stored = await lockSymbolsWithPrices(tx, [...unseen]);
      for (const symbol of unseen) isNew.set(symbol, !stored.has(symbol));
    }
    const fresh: PriceRow[] = [];
    const known: PriceRow[] = [];
    for (const r of rows) (isNew.get(r.symbol) ? fresh : known).push(r);
    const copied = await copyNewPrices(connection, fresh, source);
    const upserted = await upsertPrices(tx, known, source);
    return { ...upserted, inserted: upserted.inserted + copied };
  };
}

/**
 * One CSV line as cells. Lines without quotes (nearly every line of a price export) are split
 * directly: csv-parse's streaming parser tops out near 70,000 rows/s on this project's 2-core machine,
 * below the import's 100,000 rows/s target, while a split runs at several times that. Lines with quotes
 * (CoinMarketCap) go through csv-parse. None of the accepted formats has a quoted field spanning lines.
 */
function splitLine(line: string, delimiter: string): string[] | string {
  if (!line.includes('"')) {
    const cells = line.split(delimiter);
    return line.includes(' ') || line.includes('\t') ? cells.map((c) => c.trim()) : cells;
  }
  try {
    const [record] = parseCsv(line, { delimiter, trim: true, relax_column_count: true }) as string[][];
    return record ?? [];
  } catch (error) {
    if (error instanceof CsvError) return `malformed CSV: ${error.message.split('\n')[0]}`;
    throw error;
  }
}
