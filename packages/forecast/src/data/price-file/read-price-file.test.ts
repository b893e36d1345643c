import { createReadStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { randomWalkBars } from '../../test-support/generate-series.ts';
import { type CsvLayout, fileRows, toCsv } from '../../test-support/price-files.ts';
import { useTempDirs } from '../../test-support/temp-dirs.ts';
import { readPriceFile } from './read-price-file.ts';

const temp = useTempDirs('ethcast-price-file-');

const read = (text: string, symbol = 'ETH-USD') => readPriceFile(Readable.from([text]), symbol);

describe('readPriceFile (what pnpm train and pnpm backtest --csv read)', () => {
  const rows = fileRows('ETH-USD', randomWalkBars({ days: 40, seed: 3, start: '2024-02-20' }));
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
    const file = path.join(await temp.make(), `${layout}.csv`);
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
    const btc = fileRows('BTC-USD', randomWalkBars({ days: 5, seed: 4, start: '2024-02-20' }));
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
});
