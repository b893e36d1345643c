import { loadConfig } from '../env.ts';
import { startServer } from '../server.ts';

/**
 * A server process like main.ts, for the multi-replica job tests: the same config from the environment and
 * the same startServer, but its clock is set by the parent over IPC (`{ type: 'clock', now }`), so a
 * test can move several real processes to the next day at once. Prints `listening on <url>`.
 */
let now = new Date(process.env.REPLICA_CLOCK ?? Date.now());
process.on('message', (message: { type?: string; now?: string }) => {
  if (message?.type === 'clock' && message.now) {
    now = new Date(message.now);
    process.send?.({ type: 'clock-set', now: message.now });
  }
});

const server = await startServer(loadConfig(), {
  clock: () => new Date(now),
  jobLog: { info: () => {}, error: (line) => console.error(line) },
});
console.log(`listening on ${server.url}`);
process.on('SIGTERM', () => {
  server.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
