import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli as runCliProcess } from '../test/run-cli.ts';

const work = mkdtempSync(join(tmpdir(), 'ethcast-cli-prices-'));
// An embedded database of its own: the CLI opens and migrates it like the server would.
const dataDir = join(work, 'pglite');

// No server answers at ETHCAST_URL: the CLI opens the database itself.
const runCli = (args: string[]) =>
  runCliProcess(args, { env: { DATABASE_URL: dataDir, INIT_CWD: work, ETHCAST_URL: 'http://127.0.0.1:1' } });

describe('pnpm ethcast prices:*', () => {
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('exits 2 with one line on bad usage', { timeout: 60_000 }, async () => {
    const run = await runCli(['prices:import']);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([
      'ethcast: expected one file (usage: ethcast prices:import <file> [--symbol ETH-USD] [--skip-bad] [--json])',
    ]);
  });

  it(
    'says what it is doing while an unreachable exchange is retried, then fails in one line',
    { timeout: 180_000 },
    async () => {
      // a port that was just free: nothing listens there (fetch refuses port 1 itself as a "bad port")
      const probe = createServer();
      await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
      const port = (probe.address() as AddressInfo).port;
      await new Promise((resolve) => probe.close(resolve));
      const host = `127.0.0.1:${port}`;
      const run = await runCli(['prices:sync', '--url', `http://${host}`]);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr.trim().split('\n')).toEqual([
        `ethcast: syncing ETH-USD from ${host}…`,
        `ethcast: attempt 1 of 3: cannot reach ${host} (ECONNREFUSED), retrying in 0.5 s`,
        `ethcast: attempt 2 of 3: cannot reach ${host} (ECONNREFUSED), retrying in 1 s`,
        `ethcast: sync of ETH-USD failed, nothing was stored: cannot reach ${host} (ECONNREFUSED) after 3 attempts`,
      ]);
    },
  );

  it(
    'refuses a malformed file, then imports its good rows with --skip-bad',
    { timeout: 180_000 },
    async () => {
      writeFileSync(
        join(work, 'eth.csv'),
        'date,open,high,low,close,volume\n2024-01-01,10,12,9,11,5\n2024-01-02,10,8,9,11,5\n2024-01-04,11,13,10,12,6\n',
      );
      const strict = await runCli(['prices:import', 'eth.csv', '--symbol', 'ETH-USD']);
      expect(strict.code).toBe(1);
      expect(strict.stderr.trim().split('\n')).toEqual([
        'ethcast: line 3: high 8 is below low 9; nothing was imported (use --skip-bad to import the good rows)',
      ]);

      const skipping = await runCli(['prices:import', 'eth.csv', '--symbol', 'ETH-USD', '--skip-bad']);
      expect(skipping.code).toBe(0);
      expect(skipping.stdout).toContain(
        'file:eth.csv (plain): 3 rows read, 2 inserted, 0 updated, 0 unchanged, 1 skipped',
      );
      expect(skipping.stdout).toContain('  line 3: high 8 is below low 9');

      const list = await runCli(['prices:list', '--json']);
      expect(list.code).toBe(0);
      expect(JSON.parse(list.stdout)).toEqual([
        { symbol: 'ETH-USD', firstDay: '2024-01-01', lastDay: '2024-01-04', rows: 2, missingDays: 2 },
      ]);
    },
  );
});
