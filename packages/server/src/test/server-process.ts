import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const serverDir = fileURLToPath(new URL('../..', import.meta.url));

export type ServerProcess = {
  child: ChildProcess;
  /** stdout and stderr so far */
  output(): string;
  exit: Promise<number | null>;
  /** resolves with the URL once the server printed "listening on"; rejects if it exits first */
  ready: Promise<string>;
  /** sends `signal` (default SIGTERM) and waits for the exit code */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
};

/** Collects a child process's stdout and stderr as they arrive, and its exit code. */
export function watchProcess(child: ChildProcess): { output(): string; exit: Promise<number | null> } {
  let output = '';
  const collect = (d: Buffer) => {
    output += d;
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { output: () => output, exit };
}

/**
 * `src/main.ts` as a real process (as `pnpm start` runs it), with only the given environment plus PATH.
 * `entry` runs another main (e.g. test/replica-main.ts); `ipc` opens a message channel to it.
 * Unless `env` names an ADMIN_TOKEN_FILE, the first-admin token a server without admins writes goes to
 * a temporary folder removed at exit, never to the clone's `.data/admin-token`.
 */
export function spawnServerProcess(
  env: Record<string, string>,
  options: { entry?: string; ipc?: boolean } = {},
): ServerProcess {
  const tokenDir = env.ADMIN_TOKEN_FILE ? null : mkdtempSync(join(tmpdir(), 'ethcast-admin-token-'));
  const child = spawn(process.execPath, ['--import', 'tsx', options.entry ?? 'src/main.ts'], {
    cwd: serverDir,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      PORT: '0',
      ...(tokenDir ? { ADMIN_TOKEN_FILE: join(tokenDir, 'admin-token') } : {}),
      ...env,
    },
    stdio: options.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
  const { output, exit } = watchProcess(child);
  if (tokenDir) void exit.then(() => rmSync(tokenDir, { recursive: true, force: true }));
  const ready = new Promise<string>((resolve, reject) => {
    const onData = () => {
      const match = output().match(/listening on (http:\/\/\S+)/);
      if (match?.[1]) resolve(match[1]);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    exit.then((code) => reject(new Error(`server exited (${code}) before listening: ${output().trim()}`)));
  });
  ready.catch(() => {});
  return {
    child,
    output,
    exit,
    ready,
    stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exit;
    },
  };
}
