import { dayNumber } from '@ethcast/days';
import type { SymbolCandle } from '../read-price-file.ts';

/** One row of a generated price file. */
export type FileRow = SymbolCandle;

/** Bars as file rows of `symbol`: each opens at the previous close, with a high and low around both. */
export function fileRows(symbol: string, bars: readonly { day: string; close: number }[]): FileRow[] {
  let previous: number | undefined;
  return bars.map(({ day, close }, i) => {
    const open = previous ?? close;
    previous = close;
    return {
      symbol,
      day,
      open,
      high: Math.max(open, close) * 1.01,
      low: Math.min(open, close) * 0.99,
      close,
      volume: i % 3 === 0 ? null : 1000 + i,
    };
  });
}

export type CsvLayout =
  | 'plain'
  | 'plain-with-symbol'
  | 'yahoo'
  | 'yfinance'
  | 'coinmarketcap'
  | 'kline'
  | 'kline-with-header';

const ms = (day: string) => (dayNumber(day) ?? 0) * 86_400_000;
const iso = (milliseconds: number) => new Date(milliseconds).toISOString();

/**
 * Writers for every CSV layout the price-file reader accepts (../formats.ts), for
 * tests of the reader, of `pnpm train`/`pnpm backtest --csv` and of the server's importer.
 */
export function toCsv(rows: readonly FileRow[], layout: CsvLayout): string {
  const n = (v: number | null) => (v === null ? '' : String(v));
  const lines: string[] = [];
  switch (layout) {
    case 'plain':
      lines.push('date,open,high,low,close,volume');
      for (const r of rows) lines.push([r.day, r.open, r.high, r.low, r.close, n(r.volume)].join(','));
      break;
    case 'plain-with-symbol':
      lines.push('symbol,date,open,high,low,close,volume');
      for (const r of rows) {
        lines.push([r.symbol, r.day, r.open, r.high, r.low, r.close, n(r.volume)].join(','));
      }
      break;
    case 'yahoo':
      lines.push('Date,Open,High,Low,Close,Adj Close,Volume');
      for (const r of rows)
        lines.push([r.day, r.open, r.high, r.low, r.close, r.close, n(r.volume)].join(','));
      break;
    case 'yfinance': {
      const s = rows[0]?.symbol ?? 'ETH-USD';
      lines.push('Price,Close,High,Low,Open,Volume', `Ticker,${s},${s},${s},${s},${s}`, 'Date,,,,,');
      for (const r of rows) lines.push([r.day, r.close, r.high, r.low, r.open, n(r.volume)].join(','));
      break;
    }
    case 'coinmarketcap':
      lines.push('timeOpen;timeClose;timeHigh;timeLow;name;open;high;low;close;volume;marketCap;timestamp');
      for (const r of rows) {
        const t = ms(r.day);
        const end = iso(t + 86_399_999);
        lines.push(
          [`"${iso(t)}"`, `"${end}"`, `"${iso(t + 3_600_000)}"`, `"${iso(t + 7_200_000)}"`, '"2781"']
            .concat([r.open, r.high, r.low, r.close, n(r.volume), r.close * 1e8].map(String))
            .concat(`"${end}"`)
            .join(';'),
        );
      }
      break;
    case 'kline':
    case 'kline-with-header':
      if (layout === 'kline-with-header') {
        lines.push(
          'open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore',
        );
      }
      for (const r of rows) {
        const t = ms(r.day);
        lines.push([t, r.open, r.high, r.low, r.close, n(r.volume), t + 86_399_999, 1, 2, 3, 4, 0].join(','));
      }
      break;
  }
  return `${lines.join('\n')}\n`;
}
