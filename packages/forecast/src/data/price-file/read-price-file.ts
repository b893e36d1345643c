import { isDay } from '@ethcast/days';
import type { DailyBar } from '../../types.ts';
import {
  type CsvFormat,
  detectFormat,
  emptyRowFields,
  FormatError,
  type FormatName,
  readRecord,
  splitLine,
} from './formats.ts';
import { lineBatches } from './lines.ts';

export type PriceFile = { format: FormatName | 'date-close'; bars: DailyBar[] };

/**
 * Reads a whole daily price file in any format the server's importer accepts (see ./formats.ts) for one
 * symbol: rows of other symbols are left out when the file has a symbol column. The bars come back in day
 * order; the first bad row throws `line N: reason`, with the importer's reasons.
 */
export async function readPriceFile(
  input: AsyncIterable<Buffer | string>,
  symbol: string,
): Promise<PriceFile> {
  const wanted = symbol.trim().toUpperCase();
  const batches = lineBatches(input, () => {});
  const head: string[][] = [];
  const firstLines: string[] = [];
  while (firstLines.length < 4) {
    const next = await batches.next();
    if (next.done) break;
    head.push(next.value.lines);
    for (const line of next.value.lines) if (line.trim() && firstLines.length < 4) firstLines.push(line);
  }
  let format: CsvFormat;
  try {
    format = detectFormat(firstLines);
  } catch (error) {
    // Forecasting needs only the close: a `date,close` file (open, high, low optional) is read too, as
    // the forecast CLI always has; the server's importer, which stores every column, refuses it.
    const closeOnly = error instanceof FormatError ? closeOnlyColumns(firstLines[0] ?? '') : null;
    if (!closeOnly) throw error;
    return readCloseOnly(head, batches, closeOnly);
  }
  const fields = emptyRowFields();
  const bars: DailyBar[] = [];
  const others = new Set<string>();
  let headerLeft = format.headerRecords;
  let lineNo = 0;
  const read = (lines: string[]) => {
    for (const line of lines) {
      lineNo++;
      if (line.trim() === '') continue;
      if (headerLeft > 0) {
        headerLeft--;
        continue;
      }
      const record = splitLine(line, format.delimiter);
      const reason = typeof record === 'string' ? record : readRecord(format, record, fields);
      if (reason !== null) throw new Error(`line ${lineNo}: ${reason}`);
      if (fields.symbolCell !== null) {
        const cellSymbol = fields.symbolCell.toUpperCase();
        if (cellSymbol !== wanted) {
          others.add(cellSymbol);
          continue;
        }
      }
      const bar: DailyBar = {
        day: fields.day,
        open: Number(fields.open),
        high: Number(fields.high),
        low: Number(fields.low),
        close: Number(fields.close),
      };
      if (fields.volume !== null) bar.volume = Number(fields.volume);
      bars.push(bar);
    }
  };
  for (const lines of head) read(lines);
  for await (const batch of batches) read(batch.lines);
  if (bars.length === 0) {
    throw new Error(
      others.size > 0
        ? `no ${wanted} rows (the file holds ${[...others].sort().join(', ')})`
        : 'the file has no price rows',
    );
  }
  return { format: format.name, bars: inDayOrder(bars) };
}

type CloseOnlyColumns = Record<'date' | 'close' | 'open' | 'high' | 'low' | 'volume', number>;

/** Column indices of a plain comma-separated header with at least `date` and `close`, else null. */
function closeOnlyColumns(headerLine: string): CloseOnlyColumns | null {
  const names = headerLine
    .replace(/^\uFEFF/, '')
    .split(',')
    .map((n) => n.trim().toLowerCase());
  const columns = {
    date: names.indexOf('date'),
    close: names.indexOf('close'),
    open: names.indexOf('open'),
    high: names.indexOf('high'),
    low: names.indexOf('low'),
    volume: names.indexOf('volume'),
  };
  return columns.date >= 0 && columns.close >= 0 ? columns : null;
}

async function readCloseOnly(
  head: string[][],
  rest: AsyncIterable<{ lines: string[] }>,
  columns: CloseOnlyColumns,
): Promise<PriceFile> {
  const bars: DailyBar[] = [];
  let lineNo = 0;
  const read = (lines: string[]) => {
    for (const line of lines) {
      lineNo++;
      if (lineNo === 1 || line.trim() === '') continue;
      const record = splitLine(line, ',');
      if (typeof record === 'string') throw new Error(`line ${lineNo}: ${record}`);
      const cell = (i: number) => (i >= 0 ? (record[i] ?? '').trim() : '');
      const day = cell(columns.date);
      if (!isDay(day)) throw new Error(`line ${lineNo}: unparseable date "${day}"`);
      const close = Number(cell(columns.close));
      if (!Number.isFinite(close) || close <= 0) {
        throw new Error(`line ${lineNo}: unparseable close "${cell(columns.close)}"`);
      }
      const bar: DailyBar = { day, close };
      for (const key of ['open', 'high', 'low', 'volume'] as const) {
        const raw = cell(columns[key]);
        if (raw !== '' && Number.isFinite(Number(raw))) bar[key] = Number(raw);
      }
      bars.push(bar);
    }
  };
  for (const lines of head) read(lines);
  for await (const batch of rest) read(batch.lines);
  if (bars.length === 0) throw new Error('the file has no price rows');
  return { format: 'date-close', bars: inDayOrder(bars) };
}

/** Sorted by day; a day twice is refused. */
function inDayOrder(bars: DailyBar[]): DailyBar[] {
  bars.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  for (let i = 1; i < bars.length; i++) {
    if (bars[i]?.day === bars[i - 1]?.day) throw new Error(`duplicate day ${bars[i]?.day} in this file`);
  }
  return bars;
}
