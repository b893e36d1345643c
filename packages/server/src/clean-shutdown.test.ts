import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockPathOf } from './db/folder-lock.ts';
import { findRepoRoot } from './paths.ts';
import { pidsWithEnv } from './test/process-tree.ts';
import { spawnServerProcess, watchProcess } from './test/server-process.ts';

const repoRoot = findRepoRoot();

async function register(url: string, username: string): Promise<number> {
  const response = await fetch(`${url}/trpc/users.register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ json: { username, password: 'restart-password' } }),
  });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { result: { data: { json: { id: number } } } };
  return body.result.data.json.id;
}

const waitFor = async (check: () => boolean, what: string) => {
  for (let i = 0; i < 600; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
};

/** A port nothing listens on right now (the OS picks it). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

// Each start migrates or opens a PGlite folder: slow on a loaded machine, hence the long timeouts.
describe('clean shutdown of the embedded database', { timeout: 600_000 }, () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'ethcast-restart-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('`pnpm start` stopped by SIGTERM, SIGINT and SIGHUP: ids continue without a gap', async () => {
    const folder = join(root, 'start');
    const ids: number[] = [];
    for (const [i, signal] of (['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGTERM'] as const).entries()) {
      const server = spawnServerProcess({ DATABASE_URL: folder });
      ids.push(await register(await server.ready, `restart_${i}`));
      expect(await server.stop(signal)).toBe(0);
      expect(existsSync(lockPathOf(folder))).toBe(false);
    }
    expect(ids.map((id) => id - (ids[0] ?? 0))).toEqual([0, 1, 2, 3]);
  });

  describe('`pnpm dev`', () => {
    // free ports picked at run time: fixed ones hang the blocked-start test when anything else holds them
    let apiPort = 0;
    let dashboardPort = 0;
    beforeAll(async () => {
      apiPort = await freePort();
      dashboardPort = await freePort();
    });

    function startDev(folder: string, env: Record<string, string> = {}) {
      const marker = randomUUID();
      const child: ChildProcess = spawn('pnpm', ['dev'], {
        cwd: repoRoot,
        // its own process group, like a terminal's foreground job: a Ctrl-C reaches the whole group
        detached: true,
        env: {
          ...process.env,
          NODE_ENV: 'development',
          DATABASE_URL: folder,
          // no admin in these databases: the first-admin token goes here, not to the clone's .data/
          ADMIN_TOKEN_FILE: join(root, 'admin-token'),
          PORT: String(apiPort),
          DASHBOARD_PORT: String(dashboardPort),
          PRICES_SYNC_URL: 'off',
          ETHCAST_TEST_RUN: marker,
          ...env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const { output, exit } = watchProcess(child);
      return {
        child,
        output,
        exit,
        processes: () => pidsWithEnv('ETHCAST_TEST_RUN', marker),
        ready: () => waitFor(() => output().includes('Ethcast is running'), `pnpm dev to start: ${output()}`),
      };
    }

    it('stopped by kill of pnpm, Ctrl-C and SIGHUP: every process ends and ids continue without a gap', async () => {
      const folder = join(root, 'dev');
      const ids: number[] = [];
      const stops: Array<[string, (child: ChildProcess) => void]> = [
        ['kill <pid of pnpm>', (child) => child.kill('SIGTERM')],
        ['Ctrl-C', (child) => process.kill(-(child.pid as number), 'SIGINT')],
        ['terminal closed', (child) => process.kill(-(child.pid as number), 'SIGHUP')],
        ['kill <pid of pnpm> again', (child) => child.kill('SIGTERM')],
      ];
      for (const [i, [how, stop]] of stops.entries()) {
        const dev = startDev(folder);
        await dev.ready();
        ids.push(await register(`http://127.0.0.1:${apiPort}`, `dev_restart_${i}`));
        expect(dev.processes().length).toBeGreaterThanOrEqual(4);
        stop(dev.child);
        await waitFor(() => dev.processes().length === 0, `every process to end after ${how}`);
        expect(existsSync(lockPathOf(folder)), how).toBe(false);
        const code = await dev.exit;
        if (how === 'Ctrl-C') {
          // a clean stop, quietly: no "ELIFECYCLE Command failed" from pnpm
          expect(code, dev.output()).toBe(0);
          expect(dev.output()).not.toContain('ELIFECYCLE');
        }
      }
      expect(ids.map((id) => id - (ids[0] ?? 0))).toEqual([0, 1, 2, 3]);
    });

    it('exits non-zero, leaving nothing running, when the API cannot start', async () => {
      const blocker: Server = createServer();
      await new Promise<void>((resolve, reject) => {
        blocker.once('error', reject);
        blocker.listen(apiPort, '127.0.0.1', resolve);
      });
      try {
        const dev = startDev(join(root, 'dev-blocked'));
        const code = await dev.exit;
        expect(code).not.toBe(0);
        expect(dev.output()).toContain('the port is already in use');
        expect(dev.output()).toContain('the API could not start');
        await waitFor(() => dev.processes().length === 0, 'every process to end');
      } finally {
        await new Promise((r) => blocker.close(r));
      }
    });
  });
});
