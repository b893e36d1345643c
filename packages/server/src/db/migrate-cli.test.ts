import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb, testEngine } from '../test/db.ts';
import { type ProcessOutput, processOutput } from '../test/process-output.ts';
import { createDb } from './client.ts';

const serverDir = fileURLToPath(new URL('../..', import.meta.url));

/** `pnpm db:migrate`'s script as a real process, with only DATABASE_URL (and PATH) set. */
function migrate(databaseUrl: string): Promise<ProcessOutput> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/db/migrate-cli.ts'], {
    cwd: serverDir,
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: databaseUrl },
  });
  return processOutput(child);
}

describe('pnpm db:migrate failures', { timeout: 180_000 }, () => {
  let work: string;
  let conflicting: TestDb | null = null;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'ethcast-migrate-cli-'));
  });
  afterAll(async () => {
    await conflicting?.close();
    await rm(work, { recursive: true, force: true });
  });

  it('says the database cannot be reached, where, and why, in one line', async () => {
    const run = await migrate('postgres://postgres:secret@127.0.0.1:1/x');
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toEqual([
      'ethcast: migration failed: cannot reach the database at postgres://postgres:***@127.0.0.1:1/x (ECONNREFUSED)',
    ]);
  });

  it('names a malformed DATABASE_URL', async () => {
    const badPort = await migrate('postgres://postgres@127.0.0.1:99999/x');
    expect(badPort.code).toBe(1);
    expect(badPort.stderr.trim().split('\n')).toEqual([
      'ethcast: migration failed: DATABASE_URL postgres://postgres@127.0.0.1:99999/x is not a valid URL',
    ]);
    const badScheme = await migrate('mysql://root@127.0.0.1/x');
    expect(badScheme.code).toBe(1);
    expect(badScheme.stderr.trim().split('\n')).toHaveLength(1);
    expect(badScheme.stderr).toMatch(/^ethcast: migration failed: Invalid environment: DATABASE_URL must be/);
  });

  it("prints a migration's own error in one line, without SQL or a stack trace", async () => {
    // A table in the way of migration 0001 (prices) on a database with nothing recorded yet.
    let url: string;
    if (testEngine === 'postgres') {
      conflicting = await createTestDb({ migrate: false });
      await conflicting.db.execute(sql`create table prices (x int)`);
      url = conflicting.url as string;
    } else {
      url = join(work, 'pglite');
      const handle = await createDb({ url });
      await handle.db.execute(sql`create table prices (x int)`);
      await handle.close();
    }
    const run = await migrate(url);
    expect(run.code).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^ethcast: migration failed: 42P07 relation "prices" already exists \(in the database at .+; nothing was applied\)$/,
    );
    expect(run.stderr).not.toMatch(/CREATE TABLE|\n\s+at /i);
  });
});
