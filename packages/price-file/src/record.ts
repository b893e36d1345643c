import { dayFromNumber, dayNumber } from '@ethcast/days';
import { CsvError } from 'csv-parse';
import { parse as parseCsv } from 'csv-parse/sync';
import type { CsvFormat } from './formats.ts';

// One data record of a price file: its cells (splitLine) and their validation (readRecord).

const ISO_DATETIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** Day number of a date cell: a day, an ISO date-time at 00:00 UTC, or epoch s / ms / µs. */
function parseDateCell(value: string): number | string {
  const day = dayNumber(value);
  if (day !== null) return day;
  let ms: number;
  if (/^\d{9,17}$/.test(value)) {
    const n = Number(value);
    ms = value.length <= 11 ? n * 1000 : value.length <= 14 ? n : n / 1000;
  } else {
    const match = ISO_DATETIME.exec(value);
    if (!match || dayNumber(match[1] ?? '') === null) return `unparseable date "${value}"`;
    const zone = match[6] ?? 'Z';
    const iso = `${match[1]}T${match[2]}:${match[3]}:${match[4] ?? '00'}${match[5] ?? ''}${
      zone === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`
    }`;
    ms = Date.parse(iso);
    if (Number.isNaN(ms)) return `unparseable date "${value}"`;
  }
  if (ms % 86_400_000 !== 0) return `timestamp "${value}" is not 00:00 UTC (not a UTC daily candle)`;
  return ms / 86_400_000;
}

/**
 * The value of a plain decimal cell, `[+-]?(digits[.digits]|.digits)([eE][+-]?digits)?`, or NaN.
 * Number() accepts exactly that grammar plus surrounding whitespace, `Infinity`, `0x`/`0o`/`0b`
 * integers and '' (as 0); checking the first, second and last characters rules those out, and costs
 * less than a regex or a character loop per cell (the importer reads five numbers per row). Such a text
 * is read to the same double by JavaScript and by PostgreSQL's float8in (both round correctly), so a
 * validated cell can be sent to PostgreSQL as it is.
 */
export function decimalValue(text: string): number {
  const n = text.length;
  if (n === 0) return Number.NaN;
  const first = text.charCodeAt(0);
  if (!((first >= 48 && first <= 57) || first === 46 || first === 43 || first === 45)) return Number.NaN;
  const last = text.charCodeAt(n - 1);
  if (!((last >= 48 && last <= 57) || last === 46)) return Number.NaN;
  if (n > 1) {
    const second = text.charCodeAt(1) | 32; // lower case
    if (second === 120 || second === 111 || second === 98) return Number.NaN; // x, o, b
  }
  return Number(text);
}

/**
 * One validated row as PostgreSQL input text (for COPY and array literals). The importer reuses one
 * object for every row, so reading a row allocates nothing but the cells.
 */
export type RowFields = {
  /** the symbol cell as written (not yet upper-cased or validated); null without a symbol column */
  symbolCell: string | null;
  day: string;
  dayNumber: number;
  /** '' only in a date-close file, for a column it lacks or an empty cell (the same for high and low) */
  open: string;
  high: string;
  low: string;
  close: string;
  /** null when the file has no volume column or the cell is empty */
  volume: string | null;
};

export const emptyRowFields = (): RowFields => ({
  symbolCell: null,
  day: '',
  dayNumber: 0,
  open: '',
  high: '',
  low: '',
  close: '',
  volume: null,
});

/** The value of a price cell, or NaN unless it is a positive finite plain decimal (see decimalValue). */
function priceValue(cell: string | undefined): number {
  if (cell === undefined) return Number.NaN;
  const value = decimalValue(cell);
  return value > 0 && value !== Number.POSITIVE_INFINITY ? value : Number.NaN;
}

/** Why priceValue refused a cell: built only for a bad row. */
function priceProblem(cell: string | undefined, name: string): string {
  if (cell === undefined) return `missing ${name}`;
  if (Number.isNaN(decimalValue(cell))) return `unparseable ${name} "${cell.slice(0, 40)}"`;
  return `${name} must be a positive number (got ${cell})`;
}

/**
 * Validates one data record into `out`; returns the reason shown to the user when it is bad (then
 * `out` holds garbage). Price cells are kept as written (see decimalValue); a negative zero volume is sent
 * as 0, as JavaScript would print it.
 */
export function readRecord(format: CsvFormat, record: string[], out: RowFields): string | null {
  const c = format.columns;
  const dateCell = record[c.date];
  if (dateCell === undefined || dateCell === '') return 'missing date';
  const dayNo = dayNumber(dateCell);
  if (dayNo !== null) {
    out.day = dateCell;
    out.dayNumber = dayNo;
  } else {
    const parsed = parseDateCell(dateCell);
    if (typeof parsed === 'string') return parsed;
    out.day = dayFromNumber(parsed);
    out.dayNumber = parsed;
  }
  if (c.open === null || c.high === null || c.low === null) return readCloseOnly(format, record, out);
  const open = record[c.open];
  if (Number.isNaN(priceValue(open))) return priceProblem(open, 'open');
  const high = record[c.high];
  const highValue = priceValue(high);
  if (Number.isNaN(highValue)) return priceProblem(high, 'high');
  const low = record[c.low];
  const lowValue = priceValue(low);
  if (Number.isNaN(lowValue)) return priceProblem(low, 'low');
  const close = record[c.close];
  if (Number.isNaN(priceValue(close))) return priceProblem(close, 'close');
  if (highValue < lowValue) return `high ${highValue} is below low ${lowValue}`;
  out.open = open as string;
  out.high = high as string;
  out.low = low as string;
  out.close = close as string;
  return readVolumeAndSymbol(format, record, out);
}

/** The rest of readRecord for a date-close file: the close, and each of open, high and low if present. */
function readCloseOnly(format: CsvFormat, record: string[], out: RowFields): string | null {
  const c = format.columns;
  const close = record[c.close];
  if (Number.isNaN(priceValue(close))) return priceProblem(close, 'close');
  out.close = close as string;
  const cellOf = (index: number | null) => (index === null ? '' : (record[index] ?? ''));
  out.open = cellOf(c.open);
  out.high = cellOf(c.high);
  out.low = cellOf(c.low);
  for (const [cell, name] of [
    [out.open, 'open'],
    [out.high, 'high'],
    [out.low, 'low'],
  ] as const) {
    if (cell !== '' && Number.isNaN(priceValue(cell))) return priceProblem(cell, name);
  }
  if (out.high !== '' && out.low !== '' && Number(out.high) < Number(out.low)) {
    return `high ${Number(out.high)} is below low ${Number(out.low)}`;
  }
  return readVolumeAndSymbol(format, record, out);
}

function readVolumeAndSymbol(format: CsvFormat, record: string[], out: RowFields): string | null {
  const c = format.columns;
  const volume = c.volume === null ? '' : (record[c.volume] ?? '');
  if (volume === '') {
    out.volume = null;
  } else {
    const value = decimalValue(volume);
    if (Number.isNaN(value)) return `unparseable volume "${volume.slice(0, 40)}"`;
    if (value < 0 || value === Number.POSITIVE_INFINITY) {
      return `volume must not be negative (got ${volume})`;
    }
    out.volume = volume.charCodeAt(0) === 45 ? String(value) : volume;
  }
  out.symbolCell = c.symbol === null ? null : (record[c.symbol] ?? '');
  return null;
}

/**
 * One CSV line as cells, or the reason it is malformed. Lines without quotes (nearly every line of a
 * price export) are split directly, far cheaper than csv-parse (the import rates in docs/benchmarks.md,
 * "Price import", are measured on this path); lines with quotes (CoinMarketCap) go through csv-parse.
 * None of the accepted formats has a quoted field spanning lines.
 */
export function splitLine(line: string, delimiter: string): string[] | string {
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
