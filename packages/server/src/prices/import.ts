import { createReadStream, type ReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import { dayFromNumber } from '@ethcast/days';
import { compareSymbols } from '@ethcast/forecast';
import { type FormatName, PriceFileError, PriceFileReader } from '@ethcast/price-file';
import { type Database, type Executor, withPostgresTransaction } from '../db/client.ts';
import { COPY_CHUNK_BYTES } from '../db/queries/price-copy.ts';
import { lockPriceImports } from '../db/queries/price-locks.ts';
import { type PriceChange, UPSERT_BATCH_SIZE } from '../db/queries/price-upsert.ts';
import { isValidSymbol } from '../domain/symbol.ts';
import { type BadRow, RowReader } from './import-rows.ts';
import { CopyingWriter, type RowWriter, type Totals, UpsertWriter } from './import-writers.ts';

// The import: open the input, detect its format, read and validate its rows (import-rows.ts) and write
// the good ones in one transaction (import-writers.ts: COPY and upsert on PostgreSQL, upsert on PGlite).

export type { BadRow } from './import-rows.ts';

/** The formats an import takes: all but date-close (see openFile). */
export type ImportFormat = Exclude<FormatName, 'date-close'>;

export type ImportProgress = { rowsRead: number; bytesRead: number; totalBytes: number | null };

/** What an import or a sync changed, handed to its audit hook inside the rows' transaction. */
export type PriceChangeSummary = { symbols: string[]; inserted: number; updated: number; source: string };
export type PriceChangeHook = (tx: Executor, change: PriceChangeSummary) => Promise<void>;

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
  /**
   * Runs in the rows' transaction once they are written, with what changed: the price use case
   * (usecases/prices.ts) writes its audit-log row here, so the rows and the row commit together.
   */
  audit?: PriceChangeHook;
};

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
  format: ImportFormat;
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

const SAMPLE_SIZE = 10;

/** Imports a daily price CSV from a path or a stream. See @ethcast/price-file's formats.ts for the accepted layouts. */
export async function importPrices(
  db: Database,
  input: string | Readable,
  options: ImportOptions = {},
): Promise<ImportReport> {
  const fixedSymbol = options.symbol?.trim().toUpperCase();
  if (fixedSymbol !== undefined && !isValidSymbol(fixedSymbol)) {
    throw new PriceImportError(`invalid symbol "${options.symbol}": use BASE-QUOTE like ETH-USD`);
  }
  const { stream, totalBytes } = await openInput(input);
  const source = options.source ?? (typeof input === 'string' ? `file:${basename(input)}` : 'stream');
  // A stream the caller passed stays the caller's: an HTTP route still has to read the rest of a refused
  // upload to answer on its connection (destroying the request would close the connection unanswered).
  const ownsStream = typeof input === 'string';
  try {
    let bytesRead = 0;
    const { file, format } = await openFile(stream as AsyncIterable<Buffer | string>, fixedSymbol, (n) => {
      bytesRead += n;
    });
    const reader = new RowReader(file, {
      fixedSymbol,
      strict: !options.skipBad,
      onProgress: () => progress(),
    });
    const progress = () => options.onProgress?.({ rowsRead: reader.rowsRead, bytesRead, totalBytes });

    const run = async (writer: RowWriter, tx: Executor) => {
      let totals: Totals;
      try {
        await reader.readAll(writer);
        // A body that is not empty but yields no row is never a success: the file is not what it seems.
        if (reader.rowsRead === 0) throw new PriceImportError('the file has no price rows after its header');
        if (!options.skipBad && reader.badCount > 0) throw strictFailure(reader);
        totals = await writer.finish();
      } catch (error) {
        await writer.abort();
        throw error;
      }
      // in the rows' transaction: the import and its log row are committed together or not at all
      await options.audit?.(tx, {
        symbols: importedSymbols(reader, fixedSymbol),
        inserted: totals.inserted,
        updated: totals.updated,
        source,
      });
      return totals;
    };
    const batchSize = options.batchSize ?? UPSERT_BATCH_SIZE;
    const copyChunkBytes = options.copyChunkBytes ?? COPY_CHUNK_BYTES;
    const onPostgres = await withPostgresTransaction(db, async (tx, connection) => {
      await lockPriceImports(tx);
      return run(
        new CopyingWriter(tx, connection, source, batchSize, copyChunkBytes, () => reader.upcomingSymbols()),
        tx,
      );
    });
    const totals =
      onPostgres?.value ??
      (await db.transaction(async (tx) => {
        await lockPriceImports(tx);
        return run(new UpsertWriter(tx, source, batchSize), tx);
      }));
    progress();
    return importReport(format, source, reader, totals);
  } finally {
    if (ownsStream) stream.destroy();
  }
}

/** The symbols an import wrote rows of, in the report's order. */
function importedSymbols(reader: RowReader, fixedSymbol: string | undefined): string[] {
  const symbols = reader.symbols
    .filter(({ days }) => days.size > 0)
    .map(({ symbol }) => symbol)
    .sort(compareSymbols);
  return symbols.length > 0 ? symbols : [fixedSymbol ?? 'no rows'];
}

async function openInput(
  input: string | Readable,
): Promise<{ stream: Readable | ReadStream; totalBytes: number | null }> {
  if (typeof input !== 'string') return { stream: input, totalBytes: null };
  let totalBytes: number;
  try {
    const info = await stat(input);
    if (!info.isFile()) throw new PriceImportError(`${input} is not a file`);
    totalBytes = info.size;
  } catch (error) {
    if (error instanceof PriceImportError) throw error;
    throw new PriceImportError(`cannot read ${input}: ${(error as Error).message.split('\n')[0]}`);
  }
  return { stream: createReadStream(input, { highWaterMark: 1 << 20 }), totalBytes };
}

/** The reader, once enough of the file is read to know its format, if the importer takes that format. */
async function openFile(
  input: AsyncIterable<Buffer | string>,
  fixedSymbol: string | undefined,
  onBytes: (n: number) => void,
): Promise<{ file: PriceFileReader; format: ImportFormat }> {
  let file: PriceFileReader;
  try {
    file = await PriceFileReader.open(input, onBytes);
  } catch (error) {
    if (!(error instanceof PriceFileError)) throw error;
    throw error.line === null
      ? new PriceImportError(error.message)
      : headerFailure(error.line, error.message);
  }
  const { firstLine } = file;
  const format = file.format.name;
  if (format === 'date-close') {
    // README, "Prices": a stored day has all four prices; inventing open, high and low from the close
    // would show made-up candles. pnpm train and pnpm backtest --csv read such a file.
    throw headerFailure(
      firstLine,
      'only date and close columns: an import needs open, high, low and close (pnpm train and pnpm backtest --csv read a date,close file)',
    );
  }
  if (file.format.columns.symbol === null && fixedSymbol === undefined) {
    throw headerFailure(firstLine, 'no symbol: pass --symbol (the file has no symbol column)');
  }
  return { file, format };
}

/** A refusal of the file's first line (its header), numbered like a bad row. */
function headerFailure(line: number, reason: string): PriceImportError {
  return new PriceImportError(`line ${line}: ${reason}`, [{ line, reason }]);
}

function strictFailure({ badRows, badCount }: RowReader): PriceImportError {
  const first = badRows[0];
  return new PriceImportError(
    `line ${first?.line}: ${first?.reason}${badCount > 1 ? ` (and ${badCount - 1} more bad rows)` : ''}; nothing was imported (use --skip-bad to import the good rows)`,
    badRows,
    badCount,
  );
}

function importReport(format: ImportFormat, source: string, reader: RowReader, totals: Totals): ImportReport {
  const symbols: SymbolImport[] = reader.symbols
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
    format,
    source,
    rowsRead: reader.rowsRead,
    inserted: totals.inserted,
    updated: totals.updated,
    unchanged: good - totals.inserted - totals.updated,
    skipped: reader.badCount,
    firstDay: symbols.reduce<string | null>((d, s) => (d === null || s.firstDay < d ? s.firstDay : d), null),
    lastDay: symbols.reduce<string | null>((d, s) => (d === null || s.lastDay > d ? s.lastDay : d), null),
    missingDays: symbols.reduce((sum, s) => sum + s.missingDays, 0),
    symbols,
    changes: totals.changes,
    badRows: reader.badRows,
  };
}
