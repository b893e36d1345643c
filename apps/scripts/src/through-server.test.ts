import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { countBothWays, generateCandles, spawnServerProcess } from '@ethcast/server/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outcome, runCli } from './test/run-cli.ts';

const repoRoot = join(import.meta.dirname, '../../..');

// Real server processes on an embedded database folder, driven by the real CLI: slow to start when the
// machine is loaded, hence the long timeouts.
describe(
  'prices:import and admin:create through a running server on the embedded database',
  { timeout: 600_000 },
  () => {
    let work: string;
    let folder: string;
    let env: Record<string, string>;
    beforeAll(async () => {
      work = await mkdtemp(join(tmpdir(), 'ethcast-through-'));
      folder = join(work, 'pglite');
      env = {
        ADMIN_TOKEN_FILE: join(work, 'admin-token'),
        ETHCAST_CONFIG: join(work, 'config.json'),
        INIT_CWD: work,
      };
      const rows = generateCandles('ETH-USD', '2024-01-01', 120, 7);
      await writeFile(
        join(work, 'eth.csv'),
        `date,open,high,low,close,volume\n${rows.map((r) => `${r.day},${r.open},${r.high},${r.low},${r.close},${r.volume}`).join('\n')}\n`,
      );
    });
    afterAll(async () => {
      await rm(work, { recursive: true, force: true });
    });

    it('bootstraps the first admin with the token file only, imports, forecasts at once, and survives a restart', async () => {
      const server = spawnServerProcess({
        DATABASE_URL: folder,
        ADMIN_TOKEN_FILE: env.ADMIN_TOKEN_FILE as string,
      });
      const url = await server.ready;
      const cli = (args: string[], stdin = '') => runCli(args, { stdin, env: { ...env, ETHCAST_URL: url } });
      try {
        expect(existsSync(env.ADMIN_TOKEN_FILE as string)).toBe(true);
        // From the network, without the file's content, the first admin cannot be created.
        const guess = await fetch(`${url}/trpc/users.bootstrapAdmin`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            json: { username: 'intruder', password: 'intruder-password', token: 'guess' },
          }),
        });
        expect(guess.status).toBe(403);
        expect(JSON.stringify(await guess.json())).toContain('ADMIN_TOKEN_INVALID');

        const created = await cli(['admin:create', 'first_admin'], 'first-admin-password\n');
        expect(created.stderr).toBe('');
        expect(created.stdout.trim()).toMatch(/^Admin first_admin created \(id \d+\)\.$/);
        expect(existsSync(env.ADMIN_TOKEN_FILE as string)).toBe(false);
        const again = await cli(['admin:create', 'second_admin'], 'second-admin-password\n');
        expect(again.code).toBe(1);
        expect(again.stderr).toContain(
          'needs an admin to create one: sign in with "pnpm ethcast login <admin>"',
        );

        const unsigned = await cli(['prices:import', 'eth.csv', '--symbol', 'ETH-USD']);
        expect(unsigned.code).toBe(1);
        expect(unsigned.stderr).toContain('which needs an admin: sign in with "pnpm ethcast login <admin>"');

        expect((await cli(['login', 'first_admin'], 'first-admin-password\n')).code).toBe(0);
        const imported = await cli(['prices:import', 'eth.csv', '--symbol', 'ETH-USD']);
        expect(imported.stderr).toBe('');
        expect(imported.stdout).toContain(
          'file:eth.csv (plain): 120 rows read, 120 inserted, 0 updated, 0 unchanged, 0 skipped',
        );
        const forecast = await cli(['forecast', '--days', '7', '--model', 'naive', '--json']);
        expect(forecast.stderr).toBe('');
        expect(JSON.parse(forecast.stdout).points).toHaveLength(7);
        const reimported = await cli(['prices:import', 'eth.csv', '--symbol', 'ETH-USD', '--json']);
        expect(JSON.parse(reimported.stdout)).toMatchObject({ inserted: 0, unchanged: 120 });
        const second = await cli(['admin:create', 'second_admin'], 'second-admin-password\n');
        expect(second.stdout).toContain('Admin second_admin created');
      } finally {
        expect(await server.stop()).toBe(0);
      }

      const counts = await countBothWays(folder);
      expect(counts.plan).toMatch(/Index/);
      expect(counts).toMatchObject({ viaIndex: 120, viaScan: 120, adminsViaIndex: 1, adminsViaScan: 1 });

      const restarted = spawnServerProcess({
        DATABASE_URL: folder,
        ADMIN_TOKEN_FILE: env.ADMIN_TOKEN_FILE as string,
      });
      const restartedUrl = await restarted.ready;
      try {
        const forecast = await runCli(['forecast', '--days', '3', '--model', 'naive', '--json'], {
          env: { ...env, ETHCAST_URL: restartedUrl },
        });
        expect(JSON.parse(forecast.stdout).points).toHaveLength(3);
        const list = await runCli(['prices:list', '--json'], { env: { ...env, ETHCAST_URL: restartedUrl } });
        expect(JSON.parse(list.stdout)).toMatchObject([{ symbol: 'ETH-USD', rows: 120 }]);
      } finally {
        expect(await restarted.stop()).toBe(0);
      }
    });

    it('`pnpm ethcast … --json` from the repository, as the README runs it, prints only JSON', async () => {
      const run = await outcome(
        spawn('pnpm', ['ethcast', 'prices:list', '--json'], {
          cwd: repoRoot,
          env: { ...process.env, DATABASE_URL: folder, ETHCAST_URL: 'http://127.0.0.1:1', NODE_ENV: 'test' },
        }),
      );
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject([{ symbol: 'ETH-USD', rows: 120 }]);
    });
  },
);

describe('pipeable output and argument names', () => {
  it('ends quietly when the reader closes the pipe early', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', '--help'], {
      cwd: join(import.meta.dirname, '..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.destroy(); // like `| head -0`: every write hits a closed pipe
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('names the argument it refuses', async () => {
    const run = await runCli(['show', 'abc'], { env: { ETHCAST_URL: 'http://127.0.0.1:1' } });
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe(
      'ethcast: the forecast id must be a positive whole number, not "abc" (usage: ethcast show <id> [--json])',
    );
  });
});
