import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createActor, seedPrices, type TestServer, testServices } from '@ethcast/server/test';
import { describe, expect, it } from 'vitest';
import { runCli, useCliServer, writeCliConfig } from './test/run-cli.ts';

// Each test runs several CLI processes (a few seconds each on a busy machine): generous timeouts.
describe('ethcast CLI', { timeout: 300_000 }, () => {
  let server: TestServer;
  let home: string;
  useCliServer('ethcast-cli-', (cli) => {
    ({ server, home } = cli);
  });

  const cli = (args: string[], stdin = '', env: Record<string, string> = {}) =>
    runCli(args, {
      stdin,
      env: { ETHCAST_URL: server.url, ETHCAST_CONFIG: join(home, 'config.json'), ...env },
    });

  it('prints health', async () => {
    const run = await cli(['health']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^ok · database up/);
  });

  it('registers, logs in (token file 0600), shows me, logs out', async () => {
    expect((await cli(['register', 'cli_user'], 'cli-password\n')).code).toBe(0);
    const login = await cli(['login', 'cli_user'], 'cli-password\n');
    expect(login.stdout).toContain('Signed in as cli_user (user)');
    // times are shown in the dashboard's default zone, and say so
    expect(login.stdout.trim()).toMatch(/ until \d{4}-\d\d-\d\d \d\d:\d\d UTC-3$/);
    expect((await stat(join(home, 'config.json'))).mode & 0o777).toBe(0o600);
    const me = await cli(['me', '--json']);
    expect(JSON.parse(me.stdout)).toMatchObject({ username: 'cli_user', role: 'user' });
    const logs = await cli(['logs', 'list']);
    expect(logs.stdout).toContain('login success');
    expect(logs.stdout).toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d UTC-3\s+cli_user\s+login success/);
    expect(logs.stdout).not.toMatch(/T\d\d:\d\d/);
    const inUtc = await cli(['logs', 'list'], '', { ETHCAST_TIMEZONE: 'UTC' });
    expect(inUtc.stdout).toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d UTC\s+cli_user\s+login success/);
    const badZone = await cli(['logs', 'list'], '', { ETHCAST_TIMEZONE: 'Mars/Olympus' });
    expect([badZone.code, badZone.stderr.trim()]).toEqual([
      2,
      'ethcast: ETHCAST_TIMEZONE "Mars/Olympus" is not a time zone: use a name like America/Sao_Paulo or UTC',
    ]);
    const forbidden = await cli(['users', 'list']);
    expect(forbidden.code).toBe(1);
    expect(forbidden.stderr.trim()).toBe('ethcast: Admins only (ADMIN_ONLY)');
    expect((await cli(['logout'])).stdout).toContain('Signed out.');
    const after = await cli(['me']);
    expect(after.code).toBe(1);
    expect(after.stderr).toContain('UNAUTHENTICATED');
  });

  it('lists users for an admin', async () => {
    const admin = await createActor(testServices(server.testDb), 'cli_admin', 'admin');
    await writeCliConfig(join(home, 'config.json'), { url: server.url, token: admin.token });
    const run = await cli(['users', 'list', '--search', 'cli_']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/cli_admin\s+admin\s+\d{4}-\d\d-\d\d \d\d:\d\d UTC-3$/m);
  });

  it('exits non-zero with one clear line on bad input', async () => {
    const unknown = await cli(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim()).toBe('ethcast: unknown command "frobnicate" (run "pnpm ethcast --help")');
    const badFlag = await cli(['users', 'list', '--limit', 'lots']);
    expect(badFlag.code).toBe(2);
    expect(badFlag.stderr.trim().split('\n')).toHaveLength(1);
    const shortPassword = await cli(['register', 'someone'], 'short\n');
    expect(shortPassword.code).toBe(1);
    expect(shortPassword.stderr).toContain('at least 8 bytes');
    const down = await cli(['health'], '', { ETHCAST_URL: 'http://127.0.0.1:9' });
    expect(down.code).toBe(1);
    expect(down.stderr.trim()).toBe('ethcast: cannot reach the server (is it running? set ETHCAST_URL)');
  });

  it('forecasts, lists the history and shows one forecast', async () => {
    await seedPrices(server.testDb.db, 'ETH-USD', '2025-01-01', 400);
    expect((await cli(['register', 'forecaster'], 'forecaster-password\n')).code).toBe(0);
    expect((await cli(['login', 'forecaster'], 'forecaster-password\n')).code).toBe(0);
    const made = await cli(['forecast', '--model', 'drift', '--days', '5', '--note', 'cli test']);
    // the seeded prices end on 2026-02-04, long before today
    expect(made.stderr).toMatch(
      /^warning: the stored ETH-USD prices are \d+ days behind, so this forecast starts after 2026-02-04, not today;/,
    );
    expect(made.stdout).toMatch(/^Forecast (\d+): ETH-USD with drift/);
    expect(made.stdout).toMatch(/day\s+forecast\s+80% range\s+95% range/);
    expect(made.stdout.trim().split('\n')).toHaveLength(1 + 2 + 5);
    const id = made.stdout.match(/^Forecast (\d+)/)?.[1] ?? '';
    const table = await cli(['history'], '', { ETHCAST_TIMEZONE: 'Asia/Kolkata' });
    expect(table.stdout).toMatch(
      new RegExp(`^ *${id}\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC\\+5:30\\s+forecaster`, 'm'),
    );
    const history = await cli(['history', '--json']);
    expect(JSON.parse(history.stdout).items[0]).toMatchObject({
      id: Number(id),
      model: 'drift',
      note: 'cli test',
    });
    const shown = await cli(['show', id]);
    expect(shown.stdout).toContain('No actual prices stored for these days yet.');
    const tooFar = await cli(['forecast', '--model', 'drift', '--days', '99']);
    expect(tooFar.code).toBe(1);
    expect(tooFar.stderr.trim()).toBe(
      'ethcast: drift forecasts at most 30 days ahead; 99 were asked (HORIZON_TOO_LONG)',
    );
  });

  it('admin:create with no server answering writes an admin into the configured database', async () => {
    const dataDir = join(home, 'pglite');
    const run = await cli(['admin:create', 'first_admin'], 'first-admin-password\n', {
      DATABASE_URL: dataDir,
      ETHCAST_URL: 'http://127.0.0.1:1',
    });
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('Admin first_admin created');
    const again = await cli(['admin:create', 'FIRST_ADMIN'], 'first-admin-password\n', {
      DATABASE_URL: dataDir,
      ETHCAST_URL: 'http://127.0.0.1:1',
    });
    expect(again.code).toBe(1);
    expect(again.stderr.trim()).toBe('ethcast: That username is taken (USERNAME_TAKEN)');
  });
});
