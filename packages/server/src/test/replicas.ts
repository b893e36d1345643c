import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const serverDir = fileURLToPath(new URL('../..', import.meta.url));

export type Replica = {
  child: ChildProcess;
  url: string;
  output: () => string;
  setClock(now: string): Promise<void>;
  /** SIGKILL: no shutdown code runs, as when a machine dies */
  kill(): Promise<void>;
  stop(): Promise<void>;
};

/** Starts a real server process (test/replica-main.ts) on the given environment and clock. */
export async function startReplica(env: Record<string, string>, clock: string): Promise<Replica> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/test/replica-main.ts'], {
    cwd: serverDir,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      PORT: '0',
      REPLICA_CLOCK: clock,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const match = output.match(/listening on (http:\/\/\S+)/);
      if (match?.[1]) {
        clearInterval(timer);
        resolve(match[1]);
      }
    }, 50);
    void exited.then(() => {
      clearInterval(timer);
      reject(new Error(`replica exited before listening: ${output}`));
    });
  });
  return {
    child,
    url,
    output: () => output,
    setClock: (now) =>
      new Promise<void>((resolve) => {
        const onMessage = (message: { type?: string; now?: string }) => {
          if (message?.type === 'clock-set' && message.now === now) {
            child.off('message', onMessage);
            resolve();
          }
        };
        child.on('message', onMessage);
        child.send({ type: 'clock', now });
      }),
    async kill() {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
