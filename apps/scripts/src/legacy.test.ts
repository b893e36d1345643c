import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDb } from '@ethcast/server';
import {
  buildLegacyDatabase,
  createTakenOverTestDb,
  legacyUsers,
  startTestServer,
  type TestDb,
  type TestServer,
  testEngine,
} from '@ethcast/server/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outcome, runCli } from './test/run-cli.ts';

const serverDir = fileURLToPath(new URL('../../../packages/server', import.meta.url));

function runProcess(command: string, args: string[], options: { cwd: string; env: Record<string, string> }) {
  return outcome(spawn(command, args, options));
}

describe(`ethcast CLI on forecasts taken over from the legacy backend (${testEngine})`, () => {
  let testDb: TestDb;
  let server: TestServer;
  let home: string;
  beforeAll(async () => {
    testDb = await createTakenOverTestDb();
    server = await startTestServer({}, { testDb });
    home = await mkdtemp(join(tmpdir(), 'ethcast-cli-legacy-'));
  });
  afterAll(async () => {
    await server?.stop();
    await testDb?.close();
    if (home) await rm(home, { recursive: true, force: true });
  });

  const cli = (args: string[], stdin = '') =>
    runCli(args, { stdin, env: { ETHCAST_URL: server.url, ETHCAST_CONFIG: join(home, 'config.json') } });

  it('a legacy user signs in with the old password and lists their forecasts', async () => {
    const joao = legacyUsers[0];
    const login = await cli(['login', joao.username], `${joao.password}\n`);
    expect(login.stderr).toBe('');
    expect(login.stdout).toContain('Signed in as joao (user)');
    const history = await cli(['history']);
    expect(history.stderr).toBe('');
    expect(history.code).toBe(0);
    const lines = history.stdout.trim().split('\n');
    // header, rule, then forecasts 4 and 1, newest id first, at the legacy rows' São Paulo times; no price day was recorded: "—"
    expect(lines).toHaveLength(4);
    expect(lines[2]).toMatch(
      /^\s*4\s+2016-02-20 21:15 UTC-2\s+joao\s+ETH-USD\s+lstm\s+3\s+—\s+2016-02-23 4\.6000/,
    );
    expect(lines[3]).toMatch(
      /^\s*1\s+2024-12-01 23:30 UTC-3\s+joao\s+ETH-USD\s+lstm\s+1\s+—\s+2024-12-02 3612\.50/,
    );
  });

  it('shows a legacy forecast with "—" where it has no band', async () => {
    const show = await cli(['show', '4']);
    expect(show.stderr).toBe('');
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('Forecast 4 by joao: ETH-USD with lstm, prices through —');
    expect(show.stdout).toMatch(/2016-02-21\s+4\.4100\s+—\s+—/);
    expect(show.stdout).toMatch(/2016-02-23\s+4\.6000\s+—\s+—/);
    expect(show.stdout).toContain('No actual prices stored for these days yet.');
  });

  it("does not show another legacy user's forecast", async () => {
    const show = await cli(['show', '6']);
    expect(show.code).toBe(1);
    expect(show.stdout).toBe('');
  });
});

describe('pnpm db:migrate and ethcast admin:grant on a legacy database', () => {
  let home: string;
  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'ethcast-legacy-dir-'));
    const handle = await createDb({ url: join(home, 'pglite') });
    await buildLegacyDatabase(handle.db);
    await handle.close();
  });
  afterAll(async () => {
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('db:migrate takes the legacy tables over and says what it did', async () => {
    const run = await runProcess(process.execPath, ['--import', 'tsx', 'src/db/migrate-cli.ts'], {
      cwd: serverDir,
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: join(home, 'pglite'), NODE_ENV: 'test' },
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Migrations applied to .*pglite: 0000_init, 0001_prices, /);
    expect(run.stdout).toContain(
      "Legacy backend's data taken over: 3 users, 5 log rows, 3 forecasts (ids kept).",
    );
    expect(run.stdout).toContain('1 log rows and 0 forecasts named a user that no longer exists');
    expect(run.stdout).toContain('pnpm ethcast admin:grant <username>');
  });

  it('admin:grant names the first admin among the legacy users', async () => {
    const env = { DATABASE_URL: join(home, 'pglite') };
    const granted = await runCli(['admin:grant', 'JOAO'], { env });
    expect(granted.stderr).toBe('');
    expect(granted.stdout.trim()).toBe('joao (id 1) is now an admin.');
    const again = await runCli(['admin:grant', 'joao'], { env });
    expect(again.stdout.trim()).toBe('joao (id 1) was an admin already.');
    const missing = await runCli(['admin:grant', 'nobody'], { env });
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toBe('ethcast: user nobody not found (NOT_FOUND)');
  });
});
