import { dayFromNumber, dayNumber } from './day.ts';

/**
 * The daily CSV exports the importer understands, recognised from their first lines:
 * - plain      `date,open,high,low,close,volume` (../shared/data), optionally with a `symbol` column
 * - yahoo      Yahoo Finance download `Date,Open,High,Low,Close,Adj Close,Volume`
 * - yfinance   the 3-line header of yfinance's `to_csv` (`Price,...` / `Ticker,...` / `Date,,,`)
 * - coinmarketcap  semicolon-separated `timeOpen;timeClose;...;open;high;low;close;volume;...`
 * - kline      exchange klines keyed by an epoch timestamp; headerless files use Binance's column order
 */
export type FormatName = 'plain' | 'yahoo' | 'yfinance' | 'coinmarketcap' | 'kline' | 'csv';

export type CsvFormat = {
  name: FormatName;
  delimiter: ',' | ';';
  /** records before the first data row */
  headerRecords: number;
  columns: {
    date: number;
    open: number;
    high: number;
    low: number;
    close: number;
    volume: number | null;
    symbol: number | null;
  };
};

export type Candle = {
  /** null when the file has no symbol column */
  symbol: string | null;
  day: string;
  dayNumber: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number | null;
};

export type ParsedRow = { ok: true; candle: Candle } | { ok: false; reason: string };

export class FormatError extends Error {
  override name = 'FormatError';
}

const SUPPORTED =
  'date,open,high,low,close,volume; Yahoo Finance / yfinance; CoinMarketCap (;-separated); exchange klines';

// Preference order matters: CoinMarketCap has both `timeOpen` (the day) and `timestamp` (its end).
const DATE_NAMES = [
  'timeopen',
  'opentime',
  'date',
  'day',
  'datetime',
  'timestamp',
  'time',
  'unix',
  'starttime',
];
const SYMBOL_NAMES = ['symbol', 'ticker'];

const normalise = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');

function splitHeader(line: string, delimiter: string): string[] {
  return line.split(delimiter).map((cell) => normalise(cell.trim().replace(/^"|"$/g, '')));
}

/** Recognises the format from the file's first (up to three) non-empty lines. */
export function detectFormat(firstLines: string[]): CsvFormat {
  const first = firstLines[0]?.replace(/^\uFEFF/, '') ?? '';
  if (!first.trim()) throw new FormatError('the file is empty');
  const semicolons = first.split(';').length;
  const delimiter = semicolons > first.split(',').length ? ';' : ',';
  const header = splitHeader(first, delimiter);

  if (/^\d{9,17}$/.test(header[0] ?? '')) {
    // Binance kline CSVs have no header: open time, open, high, low, close, volume, close time, ...
    return {
      name: 'kline',
      delimiter,
      headerRecords: 0,
      columns: { date: 0, open: 1, high: 2, low: 3, close: 4, volume: 5, symbol: null },
    };
  }

  if (header[0] === 'price' && splitHeader(firstLines[1] ?? '', delimiter)[0] === 'ticker') {
    const third = splitHeader(firstLines[2] ?? '', delimiter)[0];
    const names = ['date', ...header.slice(1)];
    return {
      name: 'yfinance',
      delimiter,
      headerRecords: third === 'date' || third === 'datetime' ? 3 : 2,
      columns: columnsOf(names, first),
    };
  }

  const columns = columnsOf(header, first);
  const dateName = header[columns.date];
  let name: FormatName = 'csv';
  if (dateName === 'timeopen' && delimiter === ';') name = 'coinmarketcap';
  else if (header.includes('adjclose')) name = 'yahoo';
  else if (dateName === 'date' || dateName === 'day') name = 'plain';
  else if (dateName === 'opentime' || dateName === 'timestamp' || dateName === 'time') name = 'kline';
  return { name, delimiter, headerRecords: 1, columns };
}

function columnsOf(header: string[], raw: string): CsvFormat['columns'] {
  const find = (names: string[]) => {
    for (const name of names) {
      const index = header.indexOf(name);
      if (index >= 0) return index;
    }
    return -1;
  };
  const date = find(DATE_NAMES);
  const open = find(['open']);
  const high = find(['high']);
  const low = find(['low']);
  const close = find(['close']);
  if (date < 0 || open < 0 || high < 0 || low < 0 || close < 0) {
    throw new FormatError(
      `unrecognised header "${raw.slice(0, 120)}": need date, open, high, low and close columns (supported: ${SUPPORTED})`,
    );
  }
  const volume = find(['volume', 'vol']);
  const symbol = find(SYMBOL_NAMES);
  return {
    date,
    open,
    high,
    low,
    close,
    volume: volume < 0 ? null : volume,
    symbol: symbol < 0 ? null : symbol,
  };
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
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

function parseNumber(value: string | undefined, name: string): number | string {
  if (value === undefined) return `missing ${name}`;
  if (!NUMBER.test(value)) return `unparseable ${name} "${value.slice(0, 40)}"`;
  return Number(value);
}

/** Validates one data record; a failure carries the reason shown to the user. */
export function parseRecord(format: CsvFormat, record: string[]): ParsedRow {
  const c = format.columns;
  const dateCell = record[c.date];
  if (dateCell === undefined || dateCell === '') return { ok: false, reason: 'missing date' };
  const dayNo = parseDateCell(dateCell);
  if (typeof dayNo === 'string') return { ok: false, reason: dayNo };
  // Most files already hold 'YYYY-MM-DD': reuse it rather than format a new string per row.
  const day = dateCell.length === 10 && dateCell[4] === '-' ? dateCell : dayFromNumber(dayNo);
  const values: number[] = [];
  for (const [name, index] of [
    ['open', c.open],
    ['high', c.high],
    ['low', c.low],
    ['close', c.close],
  ] as const) {
    const value = parseNumber(record[index], name);
    if (typeof value === 'string') return { ok: false, reason: value };
    if (!(value > 0) || !Number.isFinite(value)) {
      return { ok: false, reason: `${name} must be a positive number (got ${record[index]})` };
    }
    values.push(value);
  }
  const [open = 0, high = 0, low = 0, close = 0] = values;
  if (high < low) return { ok: false, reason: `high ${high} is below low ${low}` };
  let volume: number | null = null;
  const volumeCell = c.volume === null ? '' : (record[c.volume] ?? '');
  if (volumeCell !== '') {
    const parsed = parseNumber(volumeCell, 'volume');
    if (typeof parsed === 'string') return { ok: false, reason: parsed };
    if (parsed < 0 || !Number.isFinite(parsed)) {
      return { ok: false, reason: `volume must not be negative (got ${volumeCell})` };
    }
    volume = parsed;
  }
  const symbol = c.symbol === null ? null : (record[c.symbol] ?? '').toUpperCase();
  return {
    ok: true,
    candle: { symbol, day, dayNumber: dayNo, open, high, low, close, volume },
  };
}
