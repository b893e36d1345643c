import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, openDatabase } from '@ethcast/server';
import { createTestDb, type TestDb, testEngine } from '@ethcast/server/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './test/run-cli.ts';

/** The CLI's direct mode is a face of the same use cases: each change it makes leaves one audit row. */
describe(`the CLI on the database leaves exactly one audit row per change (${testEngine})`, () => {
  const work = mkdtempSync(join(tmpdir(), 'ethcast-cli-audit-'));
  let testDb: TestDb | null = null;
  let databaseUrl = join(work, 'pglite');
  beforeAll(async () => {
    if (testEngine === 'postgres') {
      testDb = await createTestDb();
      databaseUrl = testDb.url ?? databaseUrl;
    }
  });
  afterAll(async () => {
    await testDb?.close();
    rmSync(work, { recursive: true, force: true });
  });

  // no server answers at ETHCAST_URL: the CLI opens the database itself
  const cli = (args: string[], stdin = '') =>
    runCli(args, {
      env: { DATABASE_URL: databaseUrl, INIT_CWD: work, ETHCAST_URL: 'http://127.0.0.1:1' },
      stdin,
    });

  /** Runs SQL on the database between CLI runs (an embedded folder is opened by one process at a time). */
  async function query<T>(text: string): Promise<T[]> {
    const handle = await openDatabase(
      loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: databaseUrl }),
    );
    try {
      const result: unknown = await handle.db.execute(text);
      return (Array.isArray(result) ? result : ((result as { rows: T[] }).rows ?? [])) as T[];
    } finally {
      await handle.close();
    }
  }
  const newestId = async () =>
    (await query<{ id: number }>('select coalesce(max(id), 0)::int as id from logs'))[0]?.id ?? 0;
  const actionsAfter = async (id: number) =>
    (await query<{ action: string }>(`select action from logs where id > ${Number(id)} order by id`)).map(
      (r) => r.action,
    );

  it(
    'admin:create, prices:import and admin:grant each write one row; a grant that changes nothing none',
    { timeout: 600_000 },
    async () => {
      // the first run creates and migrates the database
      expect((await cli(['prices:list', '--json'])).code).toBe(0);

      let before = await newestId();
      const created = await cli(['admin:create', 'cli_boss'], 'cli-boss-password\n');
      expect(created.stderr).toBe('');
      expect(await actionsAfter(before)).toEqual(['admin created from cli']);

      writeFileSync(
        join(work, 'eth.csv'),
        'date,open,high,low,close,volume\n2024-01-01,10,12,9,11,5\n2024-01-02,11,13,10,12,6\n',
      );
      before = await newestId();
      expect((await cli(['prices:import', 'eth.csv', '--symbol', 'ETH-USD'])).code).toBe(0);
      expect(await actionsAfter(before)).toEqual([
        'prices imported for ETH-USD: 2 inserted, 0 updated (file:eth.csv, CLI on the database)',
      ]);

      await query("insert into users (username, password, role) values ('cli_plain', 'x', 'user')");
      before = await newestId();
      expect((await cli(['admin:grant', 'cli_plain'])).code).toBe(0);
      expect(await actionsAfter(before)).toEqual(['admin granted from cli']);

      before = await newestId();
      const again = await cli(['admin:grant', 'cli_plain']);
      expect(again.stdout).toContain('was an admin already');
      expect(await actionsAfter(before)).toEqual([]);
    },
  );
});
