import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { describe, expect, it } from 'vitest';
import { spawnServerProcess } from './test/server-process.ts';

describe('server process', () => {
  it.each([
    [{ PORT: 'abc' }, 'Invalid environment: PORT must be a number'],
    [{ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nothing' }, 'cannot connect to the database'],
  ])('exits non-zero with one clear line on bad env %o', async (env, message) => {
    const run = spawnServerProcess(env);
    const code = await run.exit;
    expect(code).not.toBe(0);
    const lines = run.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(message);
    expect(run.output()).not.toMatch(/\n\s+at /);
  });

  it(
    "prints the database's own code and message when a migration fails, not drizzle's query text",
    { timeout: 180_000 },
    async () => {
      const root = await mkdtemp(join(tmpdir(), 'ethcast-legacy-'));
      try {
        // A legacy database that already has the sequence the first migration creates.
        const folder = join(root, 'pglite');
        const legacy = await PGlite.create(folder);
        await legacy.exec('create sequence logs_id_seq');
        await legacy.close();
        const run = spawnServerProcess({ DATABASE_URL: folder });
        expect(await run.exit).toBe(1);
        expect(run.output().trim()).toBe(
          'ethcast: startup failed: 42P07 relation "logs_id_seq" already exists',
        );
      } finally {
        await rm(root, { recursive: true, force: true });
      }
    },
  );

  it('lets an in-flight request finish on SIGTERM and exits 0', { timeout: 180_000 }, async () => {
    const run = spawnServerProcess({ DATABASE_URL: 'memory://' });
    const url = new URL(await run.ready);
    // Start a request whose body is still arriving when SIGTERM lands.
    const body = JSON.stringify({ username: 'nobody_here', password: 'wrong-password' });
    const socket = connect(Number(url.port), url.hostname);
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    let response = '';
    socket.on('data', (d) => {
      response += d;
    });
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.write(
      `POST /trpc/users.login HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body.slice(0, 10)}`,
    );
    await new Promise((r) => setTimeout(r, 200));
    run.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    socket.write(body.slice(10));
    await closed;
    expect(response).toMatch(/^HTTP\/1\.1 \d{3}/);
    expect(response).toContain('"json"');
    expect(await run.exit).toBe(0);
  });
});
