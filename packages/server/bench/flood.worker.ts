/**
 * The flooder of flood.bench.ts, in its own thread (its client work must not run on the server's event
 * loop): `connections` loops, each sending predicts.create (or, for comparison, another procedure as a
 * GET) as one user back to back, without pausing after a refusal. Messages: in { start } → floods until { stop } → out { requests, statuses, ms }.
 */
import { parentPort, workerData } from 'node:worker_threads';

type Data = { url: string; token: string; connections: number; model: string; procedure: string };
const { url, token, connections, model, procedure } = workerData as Data;
const port = parentPort;
if (!port) throw new Error('flood.worker.ts runs as a worker thread');

let flooding = false;
let loops: Promise<void>[] = [];
let statuses: Record<string, number> = {};
let started = 0;
const body = JSON.stringify({ json: { model, days: 30 } });

async function loop() {
  while (flooding) {
    let key: string;
    try {
      const response =
        procedure === 'predicts.create'
          ? await fetch(`${url}/trpc/predicts.create`, {
              method: 'POST',
              headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
              body,
            })
          : await fetch(`${url}/trpc/${procedure}`, { headers: { authorization: `Bearer ${token}` } });
      const text = await response.text();
      const reason = response.status === 200 ? '' : (/"reason":"(\w+)"/.exec(text)?.[1] ?? '?');
      key = `${response.status}${reason ? ` ${reason}` : ''}`;
    } catch (error) {
      key = `error ${(error as Error).message}`;
    }
    statuses[key] = (statuses[key] ?? 0) + 1;
  }
}

port.on('message', async (message: { start: true } | { stop: true } | { exit: true }) => {
  if ('start' in message) {
    flooding = true;
    statuses = {};
    started = performance.now();
    loops = Array.from({ length: connections }, loop);
  } else if ('stop' in message) {
    flooding = false;
    await Promise.all(loops);
    const requests = Object.values(statuses).reduce((a, b) => a + b, 0);
    port.postMessage({ requests, statuses, ms: performance.now() - started });
  } else {
    port.close();
  }
});
