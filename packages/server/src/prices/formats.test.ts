import { describe, expect, it } from 'vitest';
import { detectFormat, parseRecord } from './formats.ts';

describe('detectFormat and parseRecord', () => {
  it('recognises each layout from its first lines', () => {
    expect(detectFormat(['\uFEFFdate,open,high,low,close,volume']).name).toBe('plain');
    expect(detectFormat(['Date,Open,High,Low,Close,Adj Close,Volume']).name).toBe('yahoo');
    expect(
      detectFormat(['Price,Close,High,Low,Open,Volume', 'Ticker,ETH-USD,ETH-USD', 'Date,,,,,']),
    ).toMatchObject({
      name: 'yfinance',
      headerRecords: 3,
      columns: { date: 0, close: 1, high: 2, low: 3, open: 4, volume: 5 },
    });
    expect(
      detectFormat([
        'timeOpen;timeClose;timeHigh;timeLow;name;open;high;low;close;volume;marketCap;timestamp',
      ]),
    ).toMatchObject({ name: 'coinmarketcap', delimiter: ';', columns: { date: 0, close: 8 } });
    expect(detectFormat(['1704067200000,1,2,0.5,1.5,10,1704153599999,0,0,0,0,0'])).toMatchObject({
      name: 'kline',
      headerRecords: 0,
    });
    expect(detectFormat(['symbol,date,open,high,low,close']).columns).toMatchObject({
      symbol: 0,
      volume: null,
    });
    expect(() => detectFormat(['a,b,c'])).toThrow(/unrecognised header "a,b,c"/);
  });

  it('reads days from dates, ISO date-times at 00:00 UTC and epoch s/ms/µs', () => {
    const format = detectFormat(['date,open,high,low,close,volume']);
    const day = (cell: string) => {
      const row = parseRecord(format, [cell, '1', '2', '0.5', '1.5', '']);
      return row.ok ? row.candle.day : row.reason;
    };
    expect(day('2024-01-01')).toBe('2024-01-01');
    expect(day('2024-01-01T00:00:00.000Z')).toBe('2024-01-01');
    expect(day('2024-01-01 00:00:00+00:00')).toBe('2024-01-01');
    expect(day('2024-01-01T02:00:00+02:00')).toBe('2024-01-01');
    expect(day('1704067200')).toBe('2024-01-01');
    expect(day('1704067200000')).toBe('2024-01-01');
    expect(day('1704067200000000')).toBe('2024-01-01');
    expect(day('2024-01-01T05:00:00Z')).toMatch(/is not 00:00 UTC/);
    expect(day('2023-02-29')).toBe('unparseable date "2023-02-29"');
    expect(day('01/02/2024')).toBe('unparseable date "01/02/2024"');
  });

  it('keeps numbers exactly as JavaScript parses them and allows a missing volume', () => {
    const format = detectFormat(['date,open,high,low,close,volume']);
    const row = parseRecord(format, ['2024-01-01', '0.1', '1e3', '0.000001', '1234.5678901234567', '']);
    expect(row).toEqual({
      ok: true,
      candle: {
        symbol: null,
        day: '2024-01-01',
        dayNumber: 19_723,
        open: 0.1,
        high: 1000,
        low: 0.000001,
        close: 1234.5678901234567,
        volume: null,
      },
    });
    expect(parseRecord(format, ['2024-01-01', '1', '2', '1', 'NaN', '1'])).toEqual({
      ok: false,
      reason: 'unparseable close "NaN"',
    });
  });
});
