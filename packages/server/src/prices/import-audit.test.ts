import { asc } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../db/client.ts';
import { logs, prices } from '../db/schema.ts';
import type { Services } from '../services.ts';
import { bootstrapPrices } from '../startup/bootstrap-prices.ts';
import { createActor } from '../test/actors.ts';
import { testEngine } from '../test/db.ts';
import { useTestDb } from '../test/fixtures.ts';
import { coinbasePage } from '../test/jobs.ts';
import { generateCandles, storedPrices, tempDir, toCsv } from '../test/price-csv.ts';
import { startReplayServer } from '../test/replay-server.ts';
import { startTestServer, type TestServer } from '../test/server.ts';
import { importPriceFile, syncPriceHistory } from '../usecases/prices.ts';
import { systemViewer, userViewer } from '../usecases/viewer.ts';
import { importPrices } from './import.ts';

/** An admin's viewer, as a face builds it from a live session. */
const adminViewer = (id: number, username: string) =>
  userViewer({ id: 1, user: { id, username, role: 'admin' }, expiresAt: new Date(Date.now() + 60_000) });
const cli = systemViewer('CLI on the database');

const auditRows = (db: Database) =>
  db
    .select({ userId: logs.userId, username: logs.usernameLog, action: logs.action })
    .from(logs)
    .orderBy(asc(logs.id));

describe(`audited price imports (${testEngine})`, () => {
  let db: Database;
  let services: Services;
  const files = tempDir();
  const rows = generateCandles('ETH-USD', '2024-01-01', 30, 3);
  useTestDb((testServices, testDb) => {
    db = testDb.db;
    services = testServices;
  });
  afterAll(() => files.cleanup());
  beforeEach(async () => {
    await db.delete(prices);
    await db.delete(logs);
  });

  it('names who imported, the symbol and the rows inserted and updated', async () => {
    const admin = await createActor(services, 'ops', 'admin');
    await db.delete(logs);
    const file = files.write('eth.csv', toCsv(rows, 'plain'));
    await importPriceFile({ db }, adminViewer(admin.user.id, 'ops'), { file, symbol: 'ETH-USD' });
    const fixed = rows.map((r, i) => (i < 2 ? { ...r, close: r.close + 1 } : r));
    const more = [...fixed, ...generateCandles('ETH-USD', '2024-01-31', 1, 4)];
    await importPriceFile({ db }, cli, {
      file: files.write('eth-fixed.csv', toCsv(more, 'plain')),
      symbol: 'ETH-USD',
    });
    expect(await auditRows(db)).toEqual([
      {
        userId: admin.user.id,
        username: 'ops',
        action: 'prices imported for ETH-USD: 30 inserted, 0 updated (file:eth.csv)',
      },
      {
        userId: null,
        username: null,
        action:
          'prices imported for ETH-USD: 1 inserted, 2 updated (file:eth-fixed.csv, CLI on the database)',
      },
    ]);
  });

  it('the import itself writes no audit row: the use case does, and refuses a non-admin', async () => {
    await importPrices(db, files.write('plain.csv', toCsv(rows, 'plain')), { symbol: 'ETH-USD' });
    expect(await auditRows(db)).toEqual([]);
    const user = userViewer({ id: 1, user: { id: 1, username: 'u', role: 'user' }, expiresAt: new Date() });
    await expect(
      importPriceFile({ db }, user, { file: files.write('u.csv', toCsv(rows, 'plain')), symbol: 'ETH-USD' }),
    ).rejects.toMatchObject({ reason: 'ADMIN_ONLY' });
  });

  it('a file of several symbols is one row naming them', async () => {
    const both = [...rows, ...generateCandles('BTC-USD', '2024-01-01', 5, 9)];
    await importPriceFile({ db }, cli, { file: files.write('both.csv', toCsv(both, 'plain-with-symbol')) });
    const audit = await auditRows(db);
    expect(audit).toHaveLength(1);
    expect(audit[0]?.action).toMatch(
      /^prices imported for ETH-USD, BTC-USD: 35 inserted, 0 updated \(file:both.csv, CLI on the database\)$/,
    );
  });

  it('a refused import writes neither rows nor a log row', async () => {
    const bad = `${toCsv(rows, 'plain')}2024-02-15,abc,1,1,1,1\n`;
    await expect(
      importPriceFile({ db }, cli, { file: files.write('bad.csv', bad), symbol: 'ETH-USD' }),
    ).rejects.toThrow(/nothing was imported/);
    expect(await storedPrices(db)).toEqual([]);
    expect(await auditRows(db)).toEqual([]);
  });

  it('the log row is in the same transaction: when it cannot be written, no price is stored', async () => {
    const file = files.write('eth.csv', toCsv(rows, 'plain'));
    // a user id that does not exist: the log insert fails its foreign key, after the rows were written
    await expect(
      importPriceFile({ db }, adminViewer(987_654_321, 'ghost'), { file, symbol: 'ETH-USD' }),
    ).rejects.toThrow();
    expect(await storedPrices(db)).toEqual([]);
    expect(await auditRows(db)).toEqual([]);
  });

  it('a sync is audited the same way, with its source', async () => {
    const history = generateCandles('ETH-USD', '2024-03-01', 10, 5);
    const exchange = await startReplayServer([coinbasePage(history)]);
    try {
      await syncPriceHistory({ db }, systemViewer('job sync-prices'), {
        symbol: 'ETH-USD',
        baseUrl: exchange.url,
        since: '2024-03-01',
        now: new Date('2024-03-11T12:00:00Z'),
        sleep: async () => {},
      });
    } finally {
      await exchange.close();
    }
    const host = new URL(exchange.url).host;
    expect(await auditRows(db)).toEqual([
      {
        userId: null,
        username: null,
        action: `prices synced for ETH-USD: 10 inserted, 0 updated (sync:${host}, job sync-prices)`,
      },
    ]);
  });

  it('the first start’s PRICES_CSV import is audited', async () => {
    const file = files.write('boot.csv', toCsv(rows, 'plain'));
    const said: string[] = [];
    const result = await bootstrapPrices(
      { db },
      { pricesCsv: file, pricesSymbol: 'ETH-USD', pricesSyncUrl: null },
      { info: (m) => said.push(m), warn: (m) => said.push(m) },
    );
    expect(result).toBe('imported');
    expect(await auditRows(db)).toEqual([
      {
        userId: null,
        username: null,
        action: 'prices imported for ETH-USD: 30 inserted, 0 updated (file:boot.csv, PRICES_CSV at start)',
      },
    ]);
  });
});

describe(`POST /api/prices/import is audited (${testEngine})`, () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.stop());

  it('an admin’s import shows in logs.list with who, symbol and counts; a refused one writes no row', async () => {
    const admin = await createActor(server.services, 'importadora', 'admin');
    const post = (csv: string) =>
      fetch(`${server.url}/api/prices/import?symbol=ETH-USD&name=eth.csv`, {
        method: 'POST',
        headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'text/csv' },
        body: csv,
      });
    const csv = toCsv(generateCandles('ETH-USD', '2024-01-01', 12, 2), 'plain');
    expect((await post(csv)).status).toBe(200);
    expect((await post(`${csv}2024-02-15,abc,1,1,1,1\n`)).status).toBe(422);
    const { items } = await server.client(admin.token).logs.list.query({ limit: 10, action: 'prices' });
    expect(items).toMatchObject([
      {
        userId: admin.user.id,
        usernameLog: 'importadora',
        action: 'prices imported for ETH-USD: 12 inserted, 0 updated (file:eth.csv)',
        event: { code: 'pricesImported', params: { symbols: 'ETH-USD', inserted: 12, updated: 0 } },
      },
    ]);
  });
});
