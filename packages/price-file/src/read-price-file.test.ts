import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { addDays } from '@ethcast/days';
import { afterAll, describe, expect, it } from 'vitest';
import { readPriceFile } from './read-price-file.ts';
import { type CsvLayout, fileRows, toCsv } from './test-support/price-files.ts';

const dir = await mkdtemp(path.join(tmpdir(), 'ethcast-price-file-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

/** `days` days from `start` with closes that wander (values with many decimals, as real files have). */
function closes(days: number, start: string, seed: number) {
  let close = 1000 + seed;
  return Array.from({ length: days }, (_, i) => {
    close *= 1 + Math.sin(i * 1.7 + seed) * 0.03;
    return { day: addDays(start, i), close };
  });
}

const read = (text: string, symbol = 'ETH-USD') => readPriceFile(Readable.from([text]), symbol);

describe('readPriceFile (what pnpm train and pnpm backtest --csv read)', () => {
  const rows = fileRows('ETH-USD', closes(40, '2024-02-20', 3));
  const layouts: [CsvLayout, string][] = [
    ['plain', 'plain'],
    ['plain-with-symbol', 'plain'],
    ['yahoo', 'yahoo'],
    ['yfinance', 'yfinance'],
    ['coinmarketcap', 'coinmarketcap'],
    ['kline', 'kline'],
    ['kline-with-header', 'kline'],
  ];
  it.each(layouts)('reads a %s file from disk, every day with its exact values', async (layout, format) => {
    const file = path.join(dir, `${layout}.csv`);
    await writeFile(file, toCsv(rows, layout));
    const parsed = await readPriceFile(createReadStream(file), 'eth-usd');
    expect(parsed.format).toBe(format);
    expect(parsed.bars).toEqual(
      rows.map(({ day, open, high, low, close, volume }) => ({
        day,
        open,
        high,
        low,
        close,
        ...(volume === null ? {} : { volume }),
      })),
    );
  });

  it('keeps the asked symbol of a multi-symbol file, in day order', async () => {
    const btc = fileRows('BTC-USD', closes(5, '2024-02-20', 4));
    const text = toCsv([...btc, ...rows.slice(0, 5).reverse()], 'plain-with-symbol');
    const { bars } = await read(text);
    expect(bars.map((b) => b.day)).toEqual(rows.slice(0, 5).map((r) => r.day));
    expect((await read(text, 'BTC-USD')).bars.map((b) => b.close)).toEqual(btc.map((r) => r.close));
    await expect(read(text, 'SOL-USD')).rejects.toThrow('no SOL-USD rows (the file holds BTC-USD, ETH-USD)');
  });

  it('names the bad line with the importer reason', async () => {
    await expect(read('date,open,high,low,close\n2024-01-01,1,2,0.5,abc\n')).rejects.toThrow(
      'line 2: unparseable close "abc"',
    );
    await expect(
      read('date,open,high,low,close\n2024-01-01,1,2,0.5,1\n2024-01-01,1,2,0.5,1\n'),
    ).rejects.toThrow('duplicate day 2024-01-01 in this file');
    await expect(read('day,price\n2024-01-01,1\n')).rejects.toThrow(/unrecognised header "day,price"/);
    await expect(read('date,open,high,low,close\n')).rejects.toThrow('the file has no price rows');
  });

  it('reads a date,close file, as the forecast CLI always has (forecasts need only the close)', async () => {
    const parsed = await read('date,close\n2024-01-02,2300.5\n2024-01-01,2280\n\n2024-01-03,2310.25\n');
    expect(parsed.format).toBe('date-close');
    expect(parsed.bars).toEqual([
      { day: '2024-01-01', close: 2280 },
      { day: '2024-01-02', close: 2300.5 },
      { day: '2024-01-03', close: 2310.25 },
    ]);
    const withOpen = await read('Date,Open,Close\n2024-01-01,2270,2280\n');
    expect(withOpen.bars).toEqual([{ day: '2024-01-01', open: 2270, close: 2280 }]);
    await expect(read('date,close\n2024-01-01,abc\n')).rejects.toThrow('line 2: unparseable close "abc"');
    await expect(read('date,close\n01/02/2024,2280\n')).rejects.toThrow('line 2: unparseable date');
    await expect(read('date,close\n2024-01-01,1\n2024-01-01,2\n')).rejects.toThrow(
      'duplicate day 2024-01-01',
    );
    await expect(read('day,price\n2024-01-01,1\n')).rejects.toThrow(/unrecognised header/);
  });

  it('reads a date,close file by the same rules as every other format', async () => {
    // a symbol column, semicolons, epoch dates and quoted cells as in the other formats
    const parsed = await read(
      'symbol;timestamp;close\nETH-USD;1704067200;"2280"\nBTC-USD;1704067200;42000\n',
    );
    expect(parsed).toEqual({ format: 'date-close', bars: [{ day: '2024-01-01', close: 2280 }] });
    // a present open, high or low cell is checked like any price; an empty one is absent
    await expect(read('date,open,close\n2024-01-01,-1,2280\n')).rejects.toThrow(
      'line 2: open must be a positive number (got -1)',
    );
    await expect(read('date,close,high,low\n2024-01-01,2280,2200,2300\n')).rejects.toThrow(
      'line 2: high 2200 is below low 2300',
    );
    expect((await read('date,open,close\n2024-01-01,,2280\n')).bars).toEqual([
      { day: '2024-01-01', close: 2280 },
    ]);
    await expect(read('date,close\n2024-01-01,0x10\n')).rejects.toThrow('line 2: unparseable close "0x10"');
  });

  it('names the header line of a file it cannot read', async () => {
    await expect(read('\n\nwhen,price\n2024-01-01,1\n')).rejects.toThrow(
      /^line 3: unrecognised header "when,price"/,
    );
    await expect(read('')).rejects.toThrow(/^the file is empty$/);
  });
});
