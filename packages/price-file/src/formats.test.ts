import { describe, expect, it } from 'vitest';
import { type CsvFormat, detectFormat } from './formats.ts';
import { emptyRowFields, type RowFields, readRecord } from './record.ts';

/** The fields of one record, or the reason it is refused. */
function parse(format: CsvFormat, record: string[]): RowFields | string {
  const fields = emptyRowFields();
  return readRecord(format, record, fields) ?? fields;
}

describe('detectFormat and readRecord', () => {
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
      const row = parse(format, [cell, '1', '2', '0.5', '1.5', '']);
      return typeof row === 'string' ? row : row.day;
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
    const row = parse(format, ['2024-01-01', '0.1', '1e3', '0.000001', '1234.5678901234567', '']);
    expect(row).toEqual({
      symbolCell: null,
      day: '2024-01-01',
      dayNumber: 19_723,
      open: '0.1',
      high: '1e3',
      low: '0.000001',
      close: '1234.5678901234567',
      volume: null,
    });
    const { open, high, low, close } = row as RowFields;
    expect([open, high, low, close].map(Number)).toEqual([0.1, 1000, 0.000001, 1234.5678901234567]);
    expect(parse(format, ['2024-01-01', '1', '2', '1', 'NaN', '1'])).toBe('unparseable close "NaN"');
    expect(parse(format, ['2024-01-01', '1', '2', '3', '1.5', '1'])).toBe('high 2 is below low 3');
    expect(parse(format, ['2024-01-01', '1', '0', '0.5', '1.5', '1'])).toBe(
      'high must be a positive number (got 0)',
    );
    expect(parse(format, ['2024-01-01', '1', '2', '0.5'])).toBe('missing close');
  });

  it('rejects impossible dates without a regex or Date per row', () => {
    const format = detectFormat(['date,open,high,low,close,volume']);
    const day = (cell: string) => {
      const row = parse(format, [cell, '1', '2', '0.5', '1.5', '']);
      return typeof row === 'string' ? row : row.dayNumber;
    };
    for (const bad of ['2023-02-29', '2024-13-01', '2024-00-10', '2024-04-31', '1900-02-29', '2024-01-00']) {
      expect(day(bad)).toBe(`unparseable date "${bad}"`);
    }
    for (const bad of ['2024-1-01', '2024-01-1', '2024/01/01', '20240101', '2024-01-0a', '0000-01-01']) {
      expect(day(bad)).toBe(`unparseable date "${bad}"`);
    }
    expect(day('2024-02-29')).toBe(19_782);
    expect(day('2000-02-29')).toBe(11_016);
    expect(day('1970-01-01')).toBe(0);
    expect(day('1969-12-31')).toBe(-1);
  });

  it('reads a price or volume cell only as a plain decimal number', () => {
    const format = detectFormat(['date,open,high,low,close,volume']);
    const close = (cell: string) => {
      const row = parse(format, ['2024-01-01', '1', '2000', '0.1', cell, '']);
      return typeof row === 'string' ? row : Number(row.close);
    };
    expect(close('1e3')).toBe(1000);
    expect(close('.5')).toBe(0.5);
    expect(close('5.')).toBe(5);
    expect(close('+7')).toBe(7);
    expect(close('1.5E+2')).toBe(150);
    for (const bad of [
      '1,5',
      '',
      'NaN',
      'Infinity',
      '+Infinity',
      '0x10',
      '0b1',
      '0o7',
      '1_000',
      '1e',
      '.',
      '-',
      'e5',
    ]) {
      expect(close(bad)).toBe(`unparseable close "${bad}"`);
    }
    // whitespace inside a cell (splitting trims the ends of cells)
    expect(close(' 1')).toBe('unparseable close " 1"');
    expect(close('1 ')).toBe('unparseable close "1 "');
    expect(close('-0')).toBe('close must be a positive number (got -0)');
    expect(close('1e999')).toBe('close must be a positive number (got 1e999)');

    const volume = (cell: string) => {
      const row = parse(format, ['2024-01-01', '1', '2', '0.5', '1.5', cell]);
      return typeof row === 'string' ? row : row.volume === null ? null : Number(row.volume);
    };
    expect(volume('')).toBeNull();
    expect(volume('-0')).toBe(0); // toBe tells 0 from -0
    expect(volume('0')).toBe(0);
    expect(volume('-1')).toBe('volume must not be negative (got -1)');
    expect(volume('NaN')).toBe('unparseable volume "NaN"');
  });
});
