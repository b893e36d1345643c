/**
 * The daily CSV exports a price file may be, recognised from their first lines:
 * - plain      `date,open,high,low,close,volume` (../shared/data), optionally with a `symbol` column
 * - yahoo      Yahoo Finance download `Date,Open,High,Low,Close,Adj Close,Volume`
 * - yfinance   the 3-line header of yfinance's `to_csv` (`Price,...` / `Ticker,...` / `Date,,,`)
 * - coinmarketcap  semicolon-separated `timeOpen;timeClose;...;open;high;low;close;volume;...`
 * - kline      exchange klines keyed by an epoch timestamp; headerless files use Binance's column order
 * - csv        any other header naming a date and the four prices
 * - date-close a date and a close but not all of open, high and low: enough for a forecast, refused by
 *              the importer (README, "Prices": a stored day has all four prices)
 */
export type FormatName = 'plain' | 'yahoo' | 'yfinance' | 'coinmarketcap' | 'kline' | 'csv' | 'date-close';

export type CsvFormat = {
  name: FormatName;
  delimiter: ',' | ';';
  /** records before the first data row */
  headerRecords: number;
  columns: {
    date: number;
    /** null only in a date-close file, where each of open, high and low may be absent */
    open: number | null;
    high: number | null;
    low: number | null;
    close: number;
    volume: number | null;
    symbol: number | null;
  };
};

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
  if (columns.open === null || columns.high === null || columns.low === null) name = 'date-close';
  else if (dateName === 'timeopen' && delimiter === ';') name = 'coinmarketcap';
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
  // Without all of open, high and low the file is a date-close one (see FormatName).
  if (date < 0 || close < 0) {
    throw new FormatError(
      `unrecognised header "${printable(raw.slice(0, 120))}": need date, open, high, low and close columns (supported: ${SUPPORTED})`,
    );
  }
  const volume = find(['volume', 'vol']);
  const symbol = find(SYMBOL_NAMES);
  const orNull = (index: number) => (index < 0 ? null : index);
  return {
    date,
    open: orNull(open),
    high: orNull(high),
    low: orNull(low),
    close,
    volume: volume < 0 ? null : volume,
    symbol: symbol < 0 ? null : symbol,
  };
}

/** Control characters (a binary file's header) shown as U+FFFD, so a message is safe to print on a terminal. */
function printable(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.charCodeAt(0);
    out += code < 32 || (code >= 127 && code < 160) ? '\uFFFD' : char;
  }
  return out;
}
