import { PassThrough } from 'node:stream';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Database } from '../db/client.ts';
import { PriceCopy } from '../db/queries/price-copy.ts';
import * as schema from '../db/schema.ts';
import { prices } from '../db/schema.ts';
import { createTestDb, type TestDb, testEngine } from '../test/db.ts';
import { coinbasePage } from '../test/jobs.ts';
import { generateCandles, storedPrices, storedPricesWithSource, tempDir, toCsv } from '../test/price-csv.ts';
import { startReplayServer } from '../test/replay-server.ts';
import { type ImportReport, importPrices } from './import.ts';
import { syncPrices } from './sync.ts';

/**
 * On PostgreSQL, importPrices writes rows of symbols with no stored day with COPY. A Database that
 * createDb did not make (a bare drizzle over its own pool) takes the upsert-only path: both must give
 * the same reports and the same table.
 */
describe.runIf(testEngine === 'postgres')('importPrices: the PostgreSQL COPY path', () => {
  let testDb: TestDb;
  let copying: Database;
  let upsertOnly: Database;
  let pool: postgres.Sql | undefined;
  const files = tempDir();
  beforeAll(async () => {
    testDb = await createTestDb();
    copying = testDb.db;
    pool = postgres(testDb.url ?? '', { max: 2, onnotice: () => {} });
    upsertOnly = drizzle({ client: pool, schema });
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });
  afterAll(async () => {
    await pool?.end();
    await testDb?.close();
    files.cleanup();
  });

  /** Sessions holding / waiting for the advisory lock of `key` (see lockSymbolsWithPrices), and all lock waits. */
  async function locks(key: string) {
    const [row] = await (pool as postgres.Sql)`
      select count(*) filter (where granted and locktype = 'advisory'
          and objid = (hashtext(${key})::bigint & 4294967295)::oid)::int as held,
        count(*) filter (where not granted)::int as waiting
      from pg_locks where database = (select oid from pg_database where datname = current_database())
        or locktype = 'transactionid'`;
    return { held: row?.held ?? 0, waiting: row?.waiting ?? 0 };
  }
  async function until(check: () => Promise<boolean>, what: string) {
    for (let i = 0; i < 400; i++) {
      if (await check()) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  /** Whether an import's COPY is waiting on a row lock (a concurrent writer's uncommitted row). */
  async function copyWaitsOnRow() {
    const [row] = await (pool as postgres.Sql)`
      select count(*)::int as n from pg_stat_activity
      where wait_event_type = 'Lock' and query ilike 'copy prices%'`;
    return (row?.n ?? 0) > 0;
  }

  const eth = generateCandles('ETH-USD', '2022-01-01', 60, 11);
  const btc = generateCandles('BTC-USD', '2022-01-05', 45, 12);
  const sol = generateCandles('SOL-USD', '2022-02-01', 30, 13).map((r, i) => ({
    ...r,
    volume: i % 3 ? r.volume : null,
  }));
  const revisedEth = eth.map((r, i) => (i === 7 || i === 40 ? { ...r, close: r.close * 1.02 } : r));
  // files are written in beforeAll: on PGlite this suite is skipped and its afterAll (cleanup) never runs
  let seed = '';
  let mixed = '';
  let bad = '';
  const badLines = toCsv([...btc, ...sol], 'plain-with-symbol')
    .trimEnd()
    .split('\n');
  badLines[60] = badLines[60]?.replace(/,[^,]+$/, ',-5') ?? '';
  beforeAll(() => {
    seed = files.write('seed.csv', toCsv(eth.slice(0, 50), 'plain-with-symbol'));
    mixed = files.write('mixed.csv', toCsv([...btc, ...revisedEth, ...sol], 'plain-with-symbol'));
    bad = files.write('bad.csv', `${badLines.join('\n')}\n`);
  });
  // a source with COPY text-format metacharacters
  const source = 'file:odd\tname\\with\nescapes';

  async function scenario(db: Database) {
    await db.delete(prices);
    const reports: (ImportReport | string)[] = [];
    const run = async (file: string) => {
      const report = await importPrices(db, file, { source, batchSize: 20 }).catch(
        (e: unknown) => `${(e as Error).name}: ${(e as Error).message}`,
      );
      reports.push(report);
      return storedPricesWithSource(db);
    };
    const tables = [
      await run(seed), // ETH-USD new
      await run(mixed), // ETH-USD stored (2 changed closes, 10 new days); BTC-USD and SOL-USD new
      await run(mixed), // re-import: nothing changes
      await run(bad), // a bad row mid-file: nothing written
    ];
    return { reports, tables };
  }

  it('gives the same reports and rows as the upsert-only path', async () => {
    const viaCopy = await scenario(copying);
    const viaUpsert = await scenario(upsertOnly);
    expect(viaCopy).toEqual(viaUpsert);

    const [seeded, mixedReport, again, failed] = viaCopy.reports;
    expect(seeded).toMatchObject({ inserted: 50, updated: 0, unchanged: 0 });
    expect(mixedReport).toMatchObject({ inserted: 10 + 45 + 30, updated: 2, unchanged: 48 });
    expect((mixedReport as ImportReport).changes.map((c) => c.day)).toEqual(['2022-01-08', '2022-02-10']);
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 60 + 45 + 30 });
    expect(failed).toMatch(/^PriceImportError: line 61: volume must not be negative/);
    const [, afterMixed, afterAgain, afterBad] = viaCopy.tables;
    expect(afterMixed).toEqual(
      [...btc, ...revisedEth, ...sol]
        .map((r) => ({ ...r, source }))
        .sort((a, b) => (a.symbol === b.symbol ? (a.day < b.day ? -1 : 1) : a.symbol < b.symbol ? -1 : 1)),
    );
    expect(afterAgain).toEqual(afterMixed);
    expect(afterBad).toEqual(afterMixed);
  });

  it('rolls back rows copied before a late bad row', async () => {
    await copying.delete(prices);
    const error = await importPrices(copying, bad, { batchSize: 10 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(await storedPricesWithSource(copying)).toEqual([]);
  });

  it('lets two concurrent imports of the same new symbol both succeed', async () => {
    await copying.delete(prices);
    const file = files.write('concurrent.csv', toCsv(btc, 'plain-with-symbol'));
    const reports = await Promise.all([
      importPrices(copying, file, { batchSize: 10 }),
      importPrices(copying, file, { batchSize: 10 }),
    ]);
    expect(reports.map((r) => [r.inserted, r.unchanged]).sort()).toEqual([
      [0, 45],
      [45, 0],
    ]);
    expect((await storedPricesWithSource(copying)).length).toBe(45);
  });

  it('fails cleanly when a concurrent writer stores a copied day first', async () => {
    await copying.delete(prices);
    const file = files.write('raced.csv', toCsv(btc, 'plain-with-symbol'));
    const other = await (pool as postgres.Sql).reserve();
    try {
      // A writer that takes no advisory lock (the upsert path) holds an uncommitted row of BTC-USD.
      await other`begin`;
      await other`insert into prices (symbol, day, open, high, low, close, volume, source)
        values ('BTC-USD', ${btc[20]?.day ?? ''}, 1, 1, 1, 1, null, 'other')`;
      const importing = importPrices(copying, file, { batchSize: 10 }).catch((e: unknown) => e);
      // wait until the import's COPY waits on that row, then commit it
      await until(copyWaitsOnRow, "the import's COPY to wait on the uncommitted row");
      await other`commit`;
      const error = await importing;
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toMatch(/COPY into prices failed/);
    } finally {
      other.release();
    }
    expect(await storedPricesWithSource(copying)).toEqual([
      {
        symbol: 'BTC-USD',
        day: btc[20]?.day,
        open: 1,
        high: 1,
        low: 1,
        close: 1,
        volume: null,
        source: 'other',
      },
    ]);
  });

  const byKey = <T extends { symbol: string; day: string }>(rows: T[]) =>
    [...rows].sort((a, b) =>
      a.symbol === b.symbol ? (a.day < b.day ? -1 : 1) : a.symbol < b.symbol ? -1 : 1,
    );

  it('streams a file ordered by day, mixing new and stored symbols, across many COPY chunks', async () => {
    const stored = ['AAA-USD', 'BBB-USD'].map((s, i) => generateCandles(s, '2021-01-01', 80, 20 + i));
    const fresh = ['NEW-USD', 'NXT-USD', 'NYY-USD'].map((s, i) =>
      generateCandles(s, '2021-01-01', 100, 30 + i),
    );
    // AAA-USD: 3 revised closes and 20 new days; BBB-USD: unchanged
    const revised = generateCandles('AAA-USD', '2021-01-01', 100, 20).map((r, i) =>
      i === 5 || i === 50 || i === 79 ? { ...r, close: r.close * 1.5, high: r.high * 1.5 } : r,
    );
    const all = [revised, stored[1] ?? [], ...fresh];
    // day by day, every symbol in turn: the writer switches between COPY and upsert all along
    const interleaved = Array.from({ length: 100 }, (_, day) => all.flatMap((rows) => rows[day] ?? []));
    const file = files.write('by-day.csv', toCsv(interleaved.flat(), 'plain-with-symbol'));
    const seed = files.write('seed-2.csv', toCsv(stored.flat(), 'plain-with-symbol'));
    const options = { batchSize: 7, copyChunkBytes: 300 };

    const run = async (db: Database) => {
      await db.delete(prices);
      await importPrices(db, seed, options);
      return { report: await importPrices(db, file, options), rows: await storedPrices(db) };
    };
    const viaUpsert = await run(upsertOnly);
    const chunks = vi.spyOn(PriceCopy.prototype as unknown as { send(): Promise<void> }, 'send');
    const ends = vi.spyOn(PriceCopy.prototype, 'end');
    const viaCopy = await run(copying);

    expect(viaCopy).toEqual(viaUpsert);
    expect(viaCopy.report).toMatchObject({ inserted: 20 + 300, updated: 3, unchanged: 160 - 3, skipped: 0 });
    expect(viaCopy.report.changes.map((c) => c.day)).toEqual(['2021-01-06', '2021-02-20', '2021-03-21']);
    expect(viaCopy.rows).toEqual(byKey(all.flat()));
    // 300 copied rows of ~90 bytes in 300-byte chunks, and the COPY stopped for the upserts
    expect(chunks.mock.calls.length).toBeGreaterThan(50);
    expect(ends.mock.calls.length).toBeGreaterThan(10);
  });

  it('cancels a COPY in progress at a late bad row, writes nothing and keeps the connection usable', async () => {
    await copying.delete(prices);
    const chunks = vi.spyOn(PriceCopy.prototype as unknown as { send(): Promise<void> }, 'send');
    const error = await importPrices(copying, bad, { copyChunkBytes: 256 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/^line 61: volume must not be negative/);
    expect(chunks.mock.calls.length).toBeGreaterThan(5); // rows were on the wire before the bad one
    expect(await storedPricesWithSource(copying)).toEqual([]);
    const report = await importPrices(copying, files.write('after.csv', toCsv(btc, 'plain-with-symbol')), {
      copyChunkBytes: 256,
    });
    expect(report.inserted).toBe(45);
    expect((await storedPricesWithSource(copying)).length).toBe(45);
  });

  it('fails with nothing written when a concurrent writer breaks the COPY mid-stream', async () => {
    await copying.delete(prices);
    // more than the socket buffers hold: the import is still sending when the COPY fails
    const rows = generateCandles('BIG-USD', '1500-01-01', 200_000, 5);
    const file = files.write('big.csv', toCsv(rows, 'plain-with-symbol'));
    const other = await (pool as postgres.Sql).reserve();
    try {
      await other`begin`;
      await other`insert into prices (symbol, day, open, high, low, close, volume, source)
        values ('BIG-USD', ${rows[50]?.day ?? ''}, 1, 1, 1, 1, null, 'other')`;
      const importing = importPrices(copying, file, { copyChunkBytes: 16_384 }).catch((e: unknown) => e);
      await until(copyWaitsOnRow, "the import's COPY to wait on the uncommitted row");
      await other`commit`;
      const error = await importing;
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).name).toBe('CopyFailedError');
      expect((error as Error).message).toMatch(/COPY into prices failed \(duplicate key value/);
    } finally {
      other.release();
    }
    expect((await storedPricesWithSource(copying)).map((r) => [r.symbol, r.day, r.source])).toEqual([
      ['BIG-USD', rows[50]?.day, 'other'],
    ]);
  });

  // An import reads LOOKAHEAD_LINES (65,536) lines ahead to look symbols up together: a symbol is locked
  // on its own only when the next one is further away than that.
  const LONG = 66_000;

  it('runs two imports that meet the same new symbols in opposite orders one after the other, without a deadlock', async () => {
    await copying.delete(prices);
    const xaa = generateCandles('XAA-USD', '1800-01-01', LONG, 41);
    const ybb = generateCandles('YBB-USD', '1800-01-01', LONG, 42);
    const [headerA, ...firstA] = toCsv(xaa, 'plain-with-symbol').trimEnd().split('\n');
    const [headerB, ...firstB] = toCsv(ybb, 'plain-with-symbol').trimEnd().split('\n');
    const restA = toCsv(ybb.slice(0, 10), 'plain-with-symbol').trimEnd().split('\n').slice(1);
    const restB = toCsv(xaa.slice(0, 10), 'plain-with-symbol').trimEnd().split('\n').slice(1);
    // Each import first sees only its first symbol's rows and holds that symbol while it waits for more.
    const a = new PassThrough();
    const b = new PassThrough();
    a.write(`${headerA}\n${firstA.join('\n')}\n`);
    b.write(`${headerB}\n${firstB.join('\n')}\n`);
    const importingA = importPrices(copying, a, { source: 'a' }).catch((e: unknown) => e);
    await until(async () => (await locks('ethcast.prices:XAA-USD')).held === 1, 'import A to lock XAA-USD');
    const importingB = importPrices(copying, b, { source: 'b' }).catch((e: unknown) => e);
    // B now waits for A or, were imports not serialized, holds YBB-USD: either way, send the rest.
    await until(
      async () => (await locks('ethcast.prices:YBB-USD')).held === 1 || (await locks('')).waiting >= 1,
      'import B to lock YBB-USD or to wait',
    );
    a.end(`${restA.join('\n')}\n`);
    b.end(`${restB.join('\n')}\n`);
    const [reportA, reportB] = await Promise.all([importingA, importingB]);
    // A was first and inserted everything it read; B inserted the YBB-USD days A did not have.
    expect(reportA).toMatchObject({ inserted: LONG + 10, updated: 0, unchanged: 0 });
    expect(reportB).toMatchObject({ inserted: LONG - 10, updated: 0, unchanged: 20 });
    const [count] = await (pool as postgres.Sql)`
      select count(*)::int as n, count(distinct symbol)::int as symbols from prices`;
    expect(count).toEqual({ n: 2 * LONG, symbols: 2 });
  });

  it('makes a sync of a symbol wait for an import that is copying it as new', async () => {
    await copying.delete(prices);
    const zcc = generateCandles('ZCC-USD', '1800-01-01', LONG, 43);
    const [header, ...lines] = toCsv(zcc, 'plain-with-symbol').trimEnd().split('\n');
    const importing = new PassThrough();
    importing.write(`${header}\n${lines.slice(0, -10).join('\n')}\n`);
    const done = importPrices(copying, importing, { source: 'import' }).catch((e: unknown) => e);
    await until(async () => (await locks('ethcast.prices:ZCC-USD')).held === 1, 'the import to lock ZCC-USD');
    // the exchange has the 10 days the import has not read yet, with a revised close on the last one
    const recent = zcc.slice(-10);
    const exchange = recent.map((r, i) =>
      i === 9 ? { ...r, close: r.close * 1.01, high: r.high * 1.01 } : r,
    );
    const lastDay = recent[9]?.day ?? '';
    const server = await startReplayServer([coinbasePage(exchange)]);
    try {
      let synced = false;
      const syncing = syncPrices(copying, {
        symbol: 'ZCC-USD',
        baseUrl: server.url,
        since: recent[0]?.day ?? '',
        // noon of the day after the last one: that day is closed
        now: new Date(Date.parse(`${lastDay}T12:00:00Z`) + 86_400_000),
        sleep: async () => {},
        baseDelayMs: 1,
      })
        .catch((e: unknown) => e)
        .finally(() => {
          synced = true;
        });
      // Without the symbol's lock the sync would store those days first and fail the import's COPY.
      await until(async () => synced || (await locks('')).waiting >= 1, 'the sync to wait or finish');
      expect(synced).toBe(false);
      importing.end(`${lines.slice(-10).join('\n')}\n`);
      expect(await done).toMatchObject({ inserted: LONG, updated: 0 });
      // the sync ran after the import committed: it changed only the revised day
      expect(await syncing).toMatchObject({ inserted: 0, updated: 1, unchanged: 9 });
    } finally {
      await server.close();
    }
    const [changed] = await (pool as postgres.Sql)`
      select count(*)::int as n, count(*) filter (where source <> 'import')::int as synced,
        max(day) filter (where source <> 'import')::text as day
      from prices`;
    expect(changed).toEqual({ n: LONG, synced: 1, day: lastDay });
  });
});
