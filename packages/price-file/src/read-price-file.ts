import type { FormatName } from './formats.ts';
import { PriceFileError, PriceFileReader } from './reader.ts';

/** One day of a price file; open, high, low and volume are absent when the file lacks them. */
export type PriceBar = {
  /** 'YYYY-MM-DD', UTC calendar day */
  day: string;
  close: number;
  open?: number;
  high?: number;
  low?: number;
  volume?: number;
};

/** A symbol's complete day as an import stores it: open, high, low and close; volume null when absent. */
export type SymbolCandle = {
  symbol: string;
  day: string;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number | null;
};

export type PriceFile = { format: FormatName; bars: PriceBar[] };

/**
 * Reads a whole daily price file for one symbol (`pnpm train`, `pnpm backtest --csv`): any format of
 * ./formats.ts, a date-close file included (a forecast needs only the close). Rows of other symbols are
 * left out when the file has a symbol column. The bars come back in day order; the first bad row throws
 * `line N: reason`, with the importer's reasons.
 */
export async function readPriceFile(
  input: AsyncIterable<Buffer | string>,
  symbol: string,
): Promise<PriceFile> {
  const wanted = symbol.trim().toUpperCase();
  let reader: PriceFileReader;
  try {
    reader = await PriceFileReader.open(input);
  } catch (error) {
    if (error instanceof PriceFileError && error.line !== null) {
      throw new Error(`line ${error.line}: ${error.message}`);
    }
    throw error;
  }
  const bars: PriceBar[] = [];
  const others = new Set<string>();
  await reader.readRows({
    bad(line, reason) {
      throw new Error(`line ${line}: ${reason}`);
    },
    row(fields) {
      if (fields.symbolCell !== null) {
        const cellSymbol = fields.symbolCell.toUpperCase();
        if (cellSymbol !== wanted) {
          others.add(cellSymbol);
          return undefined;
        }
      }
      const bar: PriceBar = { day: fields.day, close: Number(fields.close) };
      if (fields.open !== '') bar.open = Number(fields.open);
      if (fields.high !== '') bar.high = Number(fields.high);
      if (fields.low !== '') bar.low = Number(fields.low);
      if (fields.volume !== null) bar.volume = Number(fields.volume);
      bars.push(bar);
      return undefined;
    },
  });
  if (bars.length === 0) {
    throw new Error(
      others.size > 0
        ? `no ${wanted} rows (the file holds ${[...others].sort().join(', ')})`
        : 'the file has no price rows',
    );
  }
  return { format: reader.format.name, bars: inDayOrder(bars) };
}

/** Sorted by day; a day twice is refused. */
function inDayOrder(bars: PriceBar[]): PriceBar[] {
  bars.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  for (let i = 1; i < bars.length; i++) {
    if (bars[i]?.day === bars[i - 1]?.day) throw new Error(`duplicate day ${bars[i]?.day} in this file`);
  }
  return bars;
}
