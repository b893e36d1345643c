import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generateCandles } from '@ethcast/server/test';
import { appDir } from './build.ts';

export const repoRoot = resolve(appDir, '../..');

export type DevProcess = {
  child: ChildProcess;
  /** the dashboard's URL as `pnpm dev` announced it */
  dashboardUrl: string;
  apiUrl: string;
  admin: { username: string; password: string };
  output(): string;
  /** the folder holding the throwaway database, the admin token and the price file */
  work: string;
  /** sends `signal` to the whole process group, as a terminal's Ctrl-C does, and waits for pnpm's exit code */
  interrupt(signal?: NodeJS.Signals): Promise<number | null>;
  /** stops it (if still running) and removes the throwaway folder */
  dispose(): Promise<void>;
};

/** A free TCP port on 127.0.0.1 (for PORT / DASHBOARD_PORT, which `pnpm dev` takes as numbers). */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? done(address.port) : fail()));
    });
  });
}

/** A CSV of `days` daily candles from `start`, in the plainest layout the importer reads. */
function priceCsv(symbol: string, start: string, days: number): string {
  const lines = ['date,open,high,low,close,volume'];
  for (const r of generateCandles(symbol, start, days, 7)) {
    lines.push([r.day, r.open, r.high, r.low, r.close, r.volume].join(','));
  }
  return `${lines.join('\n')}\n`;
}

/**
 * `pnpm dev` exactly as the README starts it (the root script: API in watch mode plus Vite with its
 * proxy), as the leader of a process group of its own, like a terminal's foreground job. Everything it
 * writes goes to a throwaway folder: its own embedded database (with the demo admin a first start
 * creates), admin-token file and price CSV (imported on the first start via PRICES_CSV). `ports`
 * unset means the defaults (3000 and 5173).
 */
export async function startDev(ports: { api: number; dashboard: number } | null): Promise<DevProcess> {
  const work = await mkdtemp(join(tmpdir(), 'ethcast-dev-'));
  const csv = join(work, 'prices.csv');
  await writeFile(csv, priceCsv('ETH-USD', '2025-01-01', 300));
  const env: Record<string, string | undefined> = {
    ...process.env,
    NODE_ENV: 'development',
    DATABASE_URL: join(work, 'pglite'),
    DEMO_ADMIN: 'true',
    ADMIN_TOKEN_FILE: join(work, 'admin-token'),
    PRICES_CSV: csv,
    PRICES_SYNC_URL: 'off',
    JOBS: 'off',
    BCRYPT_COST: '4',
    PORT: ports ? String(ports.api) : undefined,
    DASHBOARD_PORT: ports ? String(ports.dashboard) : undefined,
  };
  for (const key of Object.keys(env)) if (env[key] === undefined || key.startsWith('VITEST')) delete env[key];
  const child = spawn('pnpm', ['dev'], {
    cwd: repoRoot,
    env: env as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  const exit = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  const seen = new Promise<{ dashboardUrl: string; apiUrl: string; admin: DevProcess['admin'] }>(
    (done, fail) => {
      const check = () => {
        const dashboard = output.match(/Dashboard {2}(http:\/\/\S+)/);
        const api = output.match(/API {8}(http:\/\/\S+)\/trpc/);
        const admin = output.match(
          /Demo admin created \(shown once\): username "([^"]+)", password "([^"]+)"/,
        );
        const prices = /prices: imported \d+ ETH-USD days/.test(output);
        if (dashboard?.[1] && api?.[1] && admin?.[1] && admin[2] && prices) {
          done({
            dashboardUrl: dashboard[1].replace(/\/$/, ''),
            apiUrl: api[1],
            admin: { username: admin[1], password: admin[2] },
          });
        }
      };
      const collect = (data: Buffer) => {
        output += data.toString();
        check();
      };
      child.stdout?.on('data', collect);
      child.stderr?.on('data', collect);
      void exit.then((code) => fail(new Error(`pnpm dev exited (${code}) before it was up:\n${output}`)));
    },
  );
  const interrupt = async (signal: NodeJS.Signals = 'SIGINT') => {
    if (child.exitCode === null && child.signalCode === null && child.pid) {
      try {
        process.kill(-child.pid, signal);
      } catch {}
    }
    return exit;
  };
  const dispose = async () => {
    await interrupt('SIGTERM');
    await rm(work, { recursive: true, force: true });
  };
  try {
    const up = await seen;
    return { child, ...up, output: () => output, work, interrupt, dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}
