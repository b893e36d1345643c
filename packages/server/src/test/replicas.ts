import type { ChildProcess } from 'node:child_process';
import { spawnServerProcess } from './server-process.ts';

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
  const server = spawnServerProcess(
    { REPLICA_CLOCK: clock, ...env },
    { entry: 'src/test/replica-main.ts', ipc: true },
  );
  const { child } = server;
  const url = await server.ready;
  return {
    child,
    url,
    output: server.output,
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
      await server.stop('SIGKILL');
    },
    async stop() {
      await server.stop();
    },
  };
}
