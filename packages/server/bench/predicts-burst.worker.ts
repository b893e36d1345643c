/**
 * Load generator for predicts.bench.ts, in its own thread: it fires bursts of concurrent predicts.create
 * calls so that the client work of 50 requests (building, sending and parsing them) does not run on the
 * server's event loop, as it would not in production. Messages: in { burst: n } → out { ms } when the
 * burst's n calls have all answered, or { error } if one failed.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createEthcastClient } from '@ethcast/client';

type Data = { url: string; token: string; model: string };
const { url, token, model } = workerData as Data;
const client = createEthcastClient({ url, getToken: () => token, batch: false });
const port = parentPort;
if (!port) throw new Error('predicts-burst.worker.ts runs as a worker thread');

port.on('message', async (message: { burst: number } | { stop: true }) => {
  if ('stop' in message) {
    port.close();
    return;
  }
  const t0 = performance.now();
  try {
    await Promise.all(
      Array.from({ length: message.burst }, () => client.predicts.create.mutate({ model, days: 30 })),
    );
    port.postMessage({ ms: performance.now() - t0 });
  } catch (error) {
    port.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
});
