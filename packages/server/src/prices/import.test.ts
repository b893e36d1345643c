import { Readable } from 'node:stream';
import { asc } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../db/client.ts';
import { prices } from '../db/schema.ts';
import { createTestDb, type TestDb, testEngine } from '../test/db.ts';
import { type CsvLayout, generateCandles, storedPrices, tempDir, toCsv } from '../test/price-csv.ts';
import { importPrices, PriceImportError } from './import.ts';

describe(`importPrices (${testEngine})`, () => {
  let testDb: TestDb;
  let db: Database;
  const files = tempDir();
  beforeAll(async () => {
    testDb = await createTestDb();
    db = testDb.db;
  });
  afterAll(async () => {
    await testDb?.close();
    files.cleanup();
  });
  beforeEach(async () => {
    await db.delete(prices);
  });

  const layouts: [CsvLayout, string][] = [
    ['plain', 'plain'],
    ['yahoo', 'yahoo'],
    ['yfinance', 'yfinance'],
    ['coinmarketcap', 'coinmarketcap'],
    ['kline', 'kline'],
    ['kline-with-header', 'kline'],
  ];
  it.each(layouts)('imports the %s layout exactly', async (layout, format) => {
    const rows = generateCandles('ETH-USD', '2020-02-25', 400, 7);
    const file = files.write(`${layout}.csv`, toCsv(rows, layout));
    const report = await importPrices(db, file, { symbol: 'ETH-USD', batchSize: 150 });
    expect(report).toMatchObject({
      format,
      source: `file:${layout}.csv`,
      rowsRead: 400,
      inserted: 400,
      updated: 0,
      unchanged: 0,
      skipped: 0,
      firstDay: '2020-02-25',
      lastDay: rows[399]?.day,
      missingDays: 0,
      badRows: [],
    });
    expect(await storedPrices(db)).toEqual(rows);
  });

  it('imports a multi-symbol file and reports each symbol, ETH-USD first', async () => {
    const eth = generateCandles('ETH-USD', '2021-01-01', 30, 1);
    const btc = generateCandles('BTC-USD', '2021-01-10', 20, 2).filter((_, i) => i !== 5 && i !== 6);
    const file = files.write('multi.csv', toCsv([...eth, ...btc], 'plain-with-symbol'));
    const report = await importPrices(db, file);
    expect(report.inserted).toBe(48);
    expect(report.symbols).toEqual([
      {
        symbol: 'ETH-USD',
        rows: 30,
        firstDay: '2021-01-01',
        lastDay: '2021-01-30',
        missingDays: 0,
        missingSample: [],
      },
      {
        symbol: 'BTC-USD',
        rows: 18,
        firstDay: '2021-01-10',
        lastDay: '2021-01-29',
        missingDays: 2,
        missingSample: ['2021-01-15', '2021-01-16'],
      },
    ]);
    expect(report).toMatchObject({ firstDay: '2021-01-01', lastDay: '2021-01-30', missingDays: 2 });
    expect(await storedPrices(db)).toEqual([...btc, ...eth]);
  });

  it('changes nothing when the same file is imported again', async () => {
    const rows = generateCandles('ETH-USD', '2019-06-01', 1200, 3);
    const file = files.write('again.csv', toCsv(rows, 'plain'));
    await importPrices(db, file, { symbol: 'ETH-USD', batchSize: 500 });
    const before = await db.select().from(prices).orderBy(asc(prices.day));
    const report = await importPrices(db, file, { symbol: 'ETH-USD', batchSize: 500 });
    expect(report).toMatchObject({ rowsRead: 1200, inserted: 0, updated: 0, unchanged: 1200, changes: [] });
    // updated_at included: unchanged rows are not rewritten
    expect(await db.select().from(prices).orderBy(asc(prices.day))).toEqual(before);
  });

  it('replaces a newer value for a day and names the days it changed', async () => {
    const rows = generateCandles('ETH-USD', '2022-03-01', 50, 4);
    await importPrices(db, files.write('old.csv', toCsv(rows, 'plain')), { symbol: 'ETH-USD' });
    const revised = rows.map((r) => ({ ...r }));
    const extra = generateCandles('ETH-USD', '2022-04-20', 2, 9);
    for (const i of [10, 3]) {
      const row = revised[i];
      if (row) row.close = row.close * 1.01;
    }
    const report = await importPrices(
      db,
      files.write('revised.csv', toCsv([...revised, ...extra], 'yahoo')),
      { symbol: 'ETH-USD' },
    );
    expect(report).toMatchObject({ inserted: 2, updated: 2, unchanged: 48 });
    expect(report.changes).toEqual([
      { symbol: 'ETH-USD', day: '2022-03-04', oldClose: rows[3]?.close, newClose: revised[3]?.close },
      { symbol: 'ETH-USD', day: '2022-03-11', oldClose: rows[10]?.close, newClose: revised[10]?.close },
    ]);
    expect(await storedPrices(db)).toEqual([...revised, ...extra]);
  });

  const header = 'date,open,high,low,close,volume';
  const good = (day: string) => `${day},10.5,12,9.25,11,1000`;
  const badCases: [string, string, RegExp][] = [
    ['unparseable date', 'yesterday,10,12,9,11,100', /unparseable date "yesterday"/],
    ['impossible date', '2021-02-30,10,12,9,11,100', /unparseable date "2021-02-30"/],
    ['unparseable number', '2021-01-05,10,12,9,abc,100', /unparseable close "abc"/],
    ['Yahoo null row', '2021-01-05,null,null,null,null,null', /unparseable open "null"/],
    ['zero price', '2021-01-05,10,12,0,11,100', /low must be a positive number/],
    ['negative price', '2021-01-05,-10,12,9,11,100', /open must be a positive number/],
    ['high below low', '2021-01-05,10,8,9,11,100', /high 8 is below low 9/],
    ['negative volume', '2021-01-05,10,12,9,11,-1', /volume must not be negative/],
    ['duplicate day', '2021-01-02,10,12,9,11,100', /duplicate day 2021-01-02 for ETH-USD/],
    ['missing columns', '2021-01-05,10,12', /missing low/],
  ];
  it.each(badCases)('rejects a file with a bad row (%s), writing nothing', async (_, bad, reason) => {
    await importPrices(db, files.write('seed.csv', `${header}\n${good('2020-12-31')}\n`), {
      symbol: 'ETH-USD',
    });
    const before = await storedPrices(db);
    const text = [header, good('2021-01-01'), good('2021-01-02'), '', bad, good('2021-01-06')].join('\n');
    const error = await importPrices(db, files.write('bad.csv', text), { symbol: 'ETH-USD' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PriceImportError);
    expect((error as PriceImportError).message).toMatch(/^line 5: /);
    expect((error as PriceImportError).message).toMatch(reason);
    expect((error as PriceImportError).message).toContain('nothing was imported');
    expect((error as PriceImportError).badRows[0]?.line).toBe(5);
    expect(await storedPrices(db)).toEqual(before);
  });

  it('rolls back batches already written when a late row is bad', async () => {
    const rows = generateCandles('ETH-USD', '2018-01-01', 1000, 5);
    const lines = toCsv(rows, 'plain').trimEnd().split('\n');
    lines[901] = lines[901]?.replace(/,[^,]+,([^,]+)$/, ',0,$1') ?? '';
    lines[951] = '2018-13-01,1,1,1,1,1';
    const file = files.write('late.csv', `${lines.join('\n')}\n`);
    const error = (await importPrices(db, file, { symbol: 'ETH-USD', batchSize: 100 }).catch(
      (e: unknown) => e,
    )) as PriceImportError;
    expect(error.message).toMatch(
      /^line 902: close must be a positive number \(got 0\) \(and 1 more bad rows\)/,
    );
    expect(error.badRows).toEqual([
      { line: 902, reason: 'close must be a positive number (got 0)' },
      { line: 952, reason: 'unparseable date "2018-13-01"' },
    ]);
    expect(await storedPrices(db)).toEqual([]);
  });

  it('with skipBad writes the good rows and lists the bad ones', async () => {
    const text = [
      header,
      good('2021-01-01'),
      '2021-01-02,1,2,3,4,5',
      good('2021-01-03'),
      good('2021-01-03'),
      good('2021-01-05'),
    ].join('\n');
    const report = await importPrices(db, files.write('skip.csv', text), {
      symbol: 'ETH-USD',
      skipBad: true,
    });
    expect(report).toMatchObject({
      rowsRead: 5,
      inserted: 3,
      skipped: 2,
      firstDay: '2021-01-01',
      lastDay: '2021-01-05',
      missingDays: 2,
      badRows: [
        { line: 3, reason: 'high 2 is below low 3' },
        { line: 5, reason: 'duplicate day 2021-01-03 for ETH-USD in this file' },
      ],
    });
    expect((await storedPrices(db)).map((r) => r.day)).toEqual(['2021-01-01', '2021-01-03', '2021-01-05']);
  });

  it('stores number cells exactly as JavaScript reads them, -0 volume as 0', async () => {
    const cells = [
      ['1e3', '1.5E+3', '.5', '1000.', '0'],
      [
        '0.1',
        '0.30000000000000004',
        '0.1',
        '0.1000000000000000055511151231257827021181583404541015625',
        '-0',
      ],
      ['9007199254740993', '9007199254740993', '9007199254740992', '9007199254740993', '-0.0e5'],
      ['1234.5678901234567', '1e21', '1e-7', '4.35', '123456789012345678901234567890'],
      ['+7', '+7', '+7', '+7', ''],
    ];
    const text = [header, ...cells.map((c, i) => `2024-01-0${i + 1},${c.join(',')}`)].join('\n');
    const report = await importPrices(db, files.write('numbers.csv', text), { symbol: 'ETH-USD' });
    expect(report).toMatchObject({ inserted: 5, skipped: 0 });
    const stored = await storedPrices(db);
    expect(stored).toEqual(
      cells.map(([open, high, low, close, volume], i) => ({
        symbol: 'ETH-USD',
        day: `2024-01-0${i + 1}`,
        open: Number(open),
        high: Number(high),
        low: Number(low),
        close: Number(close),
        volume: volume === '' ? null : Number(volume) + 0, // -0 is stored as 0
      })),
    );
    expect(Object.is(stored[1]?.volume, 0)).toBe(true);
    expect(Object.is(stored[2]?.volume, 0)).toBe(true);
  });

  it('names the rows whose date or numbers the fast parser rejects', async () => {
    const text = [
      header,
      good('2024-01-01'),
      '2023-02-29,10,12,9,11,100',
      '2024-13-01,10,12,9,11,100',
      '2024-00-10,10,12,9,11,100',
      '2024-01-05,0x10,12,9,11,100',
      '2024-01-06,10,Infinity,9,11,100',
      '2024-01-07,10,12,NaN,11,100',
      '2024-01-08,10,12,9,,100',
      good('2024-01-09'),
    ].join('\n');
    const report = await importPrices(db, files.write('fast-bad.csv', text), {
      symbol: 'ETH-USD',
      skipBad: true,
    });
    expect(report).toMatchObject({ inserted: 2, skipped: 7 });
    expect(report.badRows).toEqual([
      { line: 3, reason: 'unparseable date "2023-02-29"' },
      { line: 4, reason: 'unparseable date "2024-13-01"' },
      { line: 5, reason: 'unparseable date "2024-00-10"' },
      { line: 6, reason: 'unparseable open "0x10"' },
      { line: 7, reason: 'unparseable high "Infinity"' },
      { line: 8, reason: 'unparseable low "NaN"' },
      { line: 9, reason: 'unparseable close ""' },
    ]);
    expect((await storedPrices(db)).map((r) => r.day)).toEqual(['2024-01-01', '2024-01-09']);
  });

  it('reads a stream, and rejects files it cannot use with one clear message', async () => {
    const rows = generateCandles('BTC-USD', '2024-02-27', 5, 6);
    const report = await importPrices(db, Readable.from([toCsv(rows, 'plain')]), { symbol: 'btc-usd' });
    expect(report).toMatchObject({ source: 'stream', inserted: 5, lastDay: '2024-03-02' });
    await expect(
      importPrices(db, files.write('x.csv', 'when,price\n1,2\n'), { symbol: 'ETH-USD' }),
    ).rejects.toThrow(/unrecognised header "when,price"/);
    await expect(importPrices(db, files.write('e.csv', ''), { symbol: 'ETH-USD' })).rejects.toThrow(
      /the file is empty/,
    );
    await expect(importPrices(db, files.write('n.csv', toCsv(rows, 'plain')))).rejects.toThrow(
      /pass --symbol/,
    );
    await expect(
      importPrices(db, files.write('s.csv', toCsv(rows, 'plain')), { symbol: 'ETH' }),
    ).rejects.toThrow(/invalid symbol "ETH"/);
    await expect(importPrices(db, files.pathOf('absent.csv'), { symbol: 'ETH-USD' })).rejects.toThrow(
      /cannot read .*absent\.csv: ENOENT/,
    );
    const mixed = toCsv(generateCandles('SOL-USD', '2024-01-01', 2), 'plain-with-symbol');
    await expect(importPrices(db, files.write('m.csv', mixed), { symbol: 'ETH-USD' })).rejects.toThrow(
      /line 2: symbol SOL-USD does not match --symbol ETH-USD/,
    );
    await expect(
      importPrices(db, files.write('t.csv', 'open_time,open,high,low,close\n1704070800000,1,2,1,2\n'), {
        symbol: 'ETH-USD',
      }),
    ).rejects.toThrow(/line 2: timestamp "1704070800000" is not 00:00 UTC/);
    expect((await storedPrices(db)).length).toBe(5);
  });

  it('reads CRLF line endings and a byte-order mark', async () => {
    const rows = generateCandles('ETH-USD', '2024-01-01', 3, 8);
    const text = `\uFEFF${toCsv(rows, 'yahoo').replace(/\n/g, '\r\n')}`;
    const report = await importPrices(db, files.write('crlf.csv', text), { symbol: 'ETH-USD' });
    expect(report).toMatchObject({ format: 'yahoo', inserted: 3 });
    expect(await storedPrices(db)).toEqual(rows);
  });

  it.each(layouts)(
    'reads the %s layout with CR-only line endings (Excel "CSV (Macintosh)"), in chunks cut anywhere',
    async (layout, format) => {
      const rows = generateCandles('ETH-USD', '2023-01-01', 200, 9);
      const text = toCsv(rows, layout).replace(/\n/g, '\r');
      // 7-byte chunks: some end with \r, so a line end may be cut from the line it ends
      const chunks = Array.from({ length: Math.ceil(text.length / 7) }, (_, i) =>
        Buffer.from(text.slice(i * 7, i * 7 + 7)),
      );
      const report = await importPrices(db, Readable.from(chunks), { symbol: 'ETH-USD' });
      expect(report).toMatchObject({ format, rowsRead: 200, inserted: 200, skipped: 0 });
      expect(await storedPrices(db)).toEqual(rows);
    },
  );

  it('refuses a non-empty file that holds no price rows, writing nothing', async () => {
    for (const text of ['date,open,high,low,close,volume\n', 'date,open,high,low,close,volume\n\n\n']) {
      await expect(importPrices(db, Readable.from([text]), { symbol: 'ETH-USD' })).rejects.toThrow(
        /no price rows/,
      );
      await expect(
        importPrices(db, Readable.from([text]), { symbol: 'ETH-USD', skipBad: true }),
      ).rejects.toThrow(/no price rows/);
    }
    expect(await storedPrices(db)).toEqual([]);
  });

  it('reports progress with bytes read of the file size', async () => {
    const file = files.write('big.csv', toCsv(generateCandles('ETH-USD', '2000-01-01', 9000), 'plain'));
    const seen: { rowsRead: number; bytesRead: number; totalBytes: number | null }[] = [];
    await importPrices(db, file, { symbol: 'ETH-USD', onProgress: (p) => seen.push(p) });
    expect(seen.length).toBeGreaterThan(1);
    const last = seen.at(-1);
    expect(last?.rowsRead).toBe(9000);
    expect(last?.bytesRead).toBe(last?.totalBytes);
  });
});
