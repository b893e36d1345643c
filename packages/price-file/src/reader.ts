import { type CsvFormat, detectFormat, FormatError } from './formats.ts';
import { LineCursor } from './line-cursor.ts';
import { lineBatches } from './lines.ts';
import { emptyRowFields, type RowFields, readRecord, splitLine } from './record.ts';

/** A file refused from its first lines (no known header, binary, empty). */
export class PriceFileError extends Error {
  override name = 'PriceFileError';
  constructor(
    message: string,
    /** the refused header's line; null when the input has no line at all */
    readonly line: number | null,
  ) {
    super(message);
  }
}

/** What a reader hands each data row to. */
export type RowVisitor = {
  /** A valid row; `fields` is reused for the next one. Returns a promise when reading must wait for it. */
  row(fields: RowFields, line: number): Promise<void> | undefined;
  /** A refused row: its line number (blank lines counted) and the reason shown to the user. */
  bad(line: number, reason: string): void;
};

const PROGRESS_EVERY_ROWS = 4096;

/**
 * The one reader of price files, for a whole file (`readPriceFile`: `pnpm train`, `pnpm backtest --csv`)
 * and for the server's import of a file or an HTTP upload stream. `open` reads enough of the input to
 * recognise its format; `readRows` then reads it to the end, splitting and validating every data line.
 */
export class PriceFileReader {
  /** data lines read so far (header and blank lines not counted) */
  rowsRead = 0;

  private constructor(
    readonly format: CsvFormat,
    /** the line number of the file's first non-blank line (its header, for most formats) */
    readonly firstLine: number,
    private readonly cursor: LineCursor,
  ) {}

  /** Recognises the format from the first lines; throws PriceFileError for a file it cannot read. */
  static async open(
    input: AsyncIterable<Buffer | string>,
    /** sees each chunk's size in bytes, for progress */
    onBytes: (n: number) => void = () => {},
  ): Promise<PriceFileReader> {
    const cursor = new LineCursor(lineBatches(input, onBytes));
    const firstLines = await cursor.firstLines(4);
    try {
      return new PriceFileReader(detectFormat(firstLines), cursor.firstLineNumber, cursor);
    } catch (error) {
      if (!(error instanceof FormatError)) throw error;
      throw new PriceFileError(error.message, firstLines.length === 0 ? null : cursor.firstLineNumber);
    }
  }

  /** Reads every data row to the end of the input; `onProgress` every few thousand rows. */
  async readRows(visitor: RowVisitor, onProgress: () => void = () => {}): Promise<void> {
    const { format, cursor } = this;
    const fields = emptyRowFields();
    const delimiter = format.delimiter;
    let headerLeft = format.headerRecords;
    let lineNo = 0;
    for (;;) {
      const line = cursor.take();
      if (line === undefined) {
        if (!(await cursor.nextBatch())) break;
        continue;
      }
      lineNo++;
      const first = line.charCodeAt(0);
      if (line.length === 0 || ((first <= 32 || first > 126) && line.trim() === '')) continue;
      if (headerLeft > 0) {
        headerLeft--;
        continue;
      }
      this.rowsRead++;
      if (this.rowsRead % PROGRESS_EVERY_ROWS === 0) onProgress();
      const record = cursor.plain ? line.split(delimiter) : splitLine(line, delimiter);
      const reason = typeof record === 'string' ? record : readRecord(format, record, fields);
      if (reason !== null) {
        visitor.bad(lineNo, reason);
        continue;
      }
      const wait = visitor.row(fields, lineNo);
      if (wait) await wait;
    }
  }

  /** Shows `visit` the next `count` lines without consuming them (see LineCursor.peek). */
  peek(count: number, visit: (line: string) => void): Promise<void> {
    return this.cursor.peek(count, visit);
  }
}
