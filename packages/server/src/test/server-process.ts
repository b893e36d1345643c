import { type ChildProcess, spawn } from 'node:child_process';
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

/** `src/main.ts` as a real process (as `pnpm start` runs it), with only the given environment plus PATH. */
export function spawnServerProcess(env: Record<string, string>): ServerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: serverDir,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', LOG_LEVEL: 'silent', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const ready = new Promise<string>((resolve, reject) => {
    const onData = (d: Buffer) => {
      output += d;
      const match = output.match(/listening on (http:\/\/\S+)/);
      if (match?.[1]) resolve(match[1]);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    exit.then((code) => reject(new Error(`server exited (${code}) before listening: ${output.trim()}`)));
  });
  ready.catch(() => {});
  return {
    child,
    output: () => output,
    exit,
    ready,
    stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exit;
    },
  };
}
