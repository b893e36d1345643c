import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from '../errors.ts';
import { createTestDb, type TestDb, testEngine } from '../test/db.ts';
import { createDb, type DbHandle, queryRows, withPostgresTransaction } from './client.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A transaction's connection killed by the server (pg_terminate_backend), then used again by the
 * transaction, as a rollback does. postgres.js 3.4.9 deferred that write with setImmediate and ran it on
 * the closed socket: an uncaught TypeError that ends the process (porsager/postgres#1066, #1154, #1208).
 * Patched (patches/postgres@3.4.9.patch): the query is rejected as a lost connection, and the pool goes
 * on with a new connection in the same slot.
 */
// a lost pool slot shows as a query that never ends: a short timeout says so sooner
describe.skipIf(testEngine !== 'postgres')(
  'a transaction whose connection is killed (PostgreSQL)',
  { timeout: 15_000 },
  () => {
    let testDb: TestDb;
    let killer: postgres.Sql;
    const handles: DbHandle[] = [];
    beforeAll(async () => {
      testDb = await createTestDb();
      killer = postgres(testDb.url ?? '', { max: 1, onnotice: () => {} });
    });
    afterAll(async () => {
      for (const handle of handles) await handle.close();
      await killer?.end();
      await testDb?.close();
    });

    /** Kills the backend `pid` and waits until PostgreSQL no longer lists it (its socket is closed). */
    async function kill(pid: number) {
      await killer`select pg_terminate_backend(${pid})`;
      for (let i = 0; i < 100; i++) {
        const rows = await killer`select 1 from pg_stat_activity where pid = ${pid}`;
        if (rows.length === 0) break;
        await sleep(20);
      }
      // the close reaches the client's socket a little after the backend is gone
      await sleep(100);
    }

    /** One pool slot: a lost slot would make the next query wait forever. */
    async function onePool() {
      const handle = await createDb({ url: testDb.url ?? '', max: 1 });
      handles.push(handle);
      return handle;
    }

    async function expectPoolAnswers(handle: DbHandle) {
      for (let i = 0; i < 3; i++) {
        expect(await queryRows(handle.db, sql`select ${i}::int as n`)).toEqual([{ n: i }]);
      }
    }

    it('db.transaction: the next statement is refused as a lost connection; the pool answers again', async () => {
      const handle = await onePool();
      const failure = await handle.db
        .transaction(async (tx) => {
          const [row] = await queryRows<{ pid: number }>(tx, sql`select pg_backend_pid() as pid`);
          await kill(Number(row?.pid));
          await queryRows(tx, sql`select 1`);
        })
        .then(
          () => null,
          (error: unknown) => error,
        );
      expect(isDatabaseUnavailable(failure), String(failure)).toBe(true);
      await sleep(50); // a deferred write would run (and throw) here
      await expectPoolAnswers(handle);
    });

    it('a reserved connection (withPostgresTransaction): refused, released, and the pool answers again', async () => {
      const handle = await onePool();
      const failure = await withPostgresTransaction(handle.db, async (_tx, connection) => {
        const [row] = await connection<{ pid: number }[]>`select pg_backend_pid() as pid`;
        await kill(Number(row?.pid));
        await connection`select 1`;
      }).then(
        () => null,
        (error: unknown) => error,
      );
      expect(isDatabaseUnavailable(failure), String(failure)).toBe(true);
      await sleep(50);
      await expectPoolAnswers(handle);
    });
  },
);
