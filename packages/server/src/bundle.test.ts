import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import superjson from 'superjson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getProcedure, postProcedure } from './test/http-calls.ts';
import { watchProcess } from './test/server-process.ts';

const serverDir = fileURLToPath(new URL('..', import.meta.url));

/**
 * The production bundle as `pnpm build && pnpm start` runs it (`node dist/main.js`, no tsx): every
 * module it leaves external must resolve from the server package, and the bcrypt threads must start
 * from the bundle. The other server tests run the sources through tsx and would not see a missing one.
 */
describe('production bundle (node dist/main.js)', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'ethcast-bundle-'));
    execFileSync(process.execPath, ['build.mjs'], { cwd: serverDir, stdio: 'pipe' });
  }, 120_000);
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it(
    'starts, answers, signs a user in on the bcrypt threads and stops cleanly',
    { timeout: 180_000 },
    async () => {
      const child = spawn(process.execPath, ['dist/main.js'], {
        cwd: serverDir,
        env: {
          PATH: process.env.PATH ?? '',
          NODE_ENV: 'production',
          DATABASE_URL: join(root, 'pglite'),
          ADMIN_TOKEN_FILE: join(root, 'admin-token'),
          PORT: '0',
          HOST: '127.0.0.1',
          LOG_LEVEL: 'silent',
          PRICES_SYNC_URL: 'off',
          BCRYPT_COST: '4',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const run = watchProcess(child);
      try {
        const url = await new Promise<string>((resolve, reject) => {
          const onData = () => {
            const match = run.output().match(/listening on (http:\/\/\S+)/);
            if (match?.[1]) resolve(match[1]);
          };
          child.stdout?.on('data', onData);
          child.stderr?.on('data', onData);
          run.exit.then((code) => reject(new Error(`dist/main.js exited (${code}): ${run.output().trim()}`)));
        });
        expect((await fetch(`${url}/health`)).status).toBe(200);
        expect((await fetch(`${url}/ready`)).status).toBe(200);
        expect((await getProcedure(url, 'models.list', undefined)).status).toBe(200);

        const credentials = { username: 'bundle_user', password: 'bundle-password-1' };
        expect((await postProcedure(url, 'users.register', credentials)).status).toBe(200);
        const login = await postProcedure(url, 'users.login', credentials);
        expect(login.status).toBe(200);
        const { token } = superjson.deserialize<{ token: string }>(JSON.parse(login.text).result.data);
        const me = await getProcedure(url, 'users.me', undefined, { authorization: `Bearer ${token}` });
        expect(me.status).toBe(200);
        expect(me.text).toContain('bundle_user');
        const wrong = await postProcedure(url, 'users.login', {
          ...credentials,
          password: 'not-the-password',
        });
        expect(wrong.status).toBe(401);
      } finally {
        if (child.exitCode === null) child.kill('SIGTERM');
      }
      expect(await run.exit).toBe(0);
    },
  );

  /** `pnpm start` as a terminal runs it: the leader of a process group of its own (a foreground job). */
  const pnpmStart = (env: Record<string, string>) => {
    const child = spawn('pnpm', ['start'], {
      cwd: join(serverDir, '../..'),
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? root,
        DATABASE_URL: join(root, 'pglite-start'),
        ADMIN_TOKEN_FILE: join(root, 'admin-token'),
        PORT: '0',
        LOG_LEVEL: 'silent',
        PRICES_SYNC_URL: 'off',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    return { child, ...watchProcess(child) };
  };

  it('stops quietly with exit code 0 on Ctrl-C of `pnpm start`', { timeout: 180_000 }, async () => {
    const run = pnpmStart({});
    try {
      await new Promise<void>((resolve, reject) => {
        const onData = () => {
          if (/listening on http:/.test(run.output())) resolve();
        };
        run.child.stdout?.on('data', onData);
        run.child.stderr?.on('data', onData);
        run.exit.then((code) => reject(new Error(`pnpm start exited (${code}): ${run.output().trim()}`)));
      });
      // The terminal sends SIGINT to every process of the foreground job.
      process.kill(-(run.child.pid ?? 0), 'SIGINT');
      expect(await run.exit).toBe(0);
      expect(run.output()).not.toContain('ELIFECYCLE');
    } finally {
      try {
        process.kill(-(run.child.pid ?? 0), 'SIGKILL');
      } catch {}
    }
  });

  it('still fails loudly, non-zero, when `pnpm start` cannot start', { timeout: 120_000 }, async () => {
    const run = pnpmStart({ PORT: 'not-a-port' });
    expect(await run.exit).not.toBe(0);
    expect(run.output()).toContain('Invalid environment: PORT');
  });
});
