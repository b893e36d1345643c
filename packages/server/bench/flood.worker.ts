/**
 * The flooder of flood.bench.ts: `connections` loops, each sending predicts.create (or, for comparison,
 * another procedure as a GET) as one user back to back, without pausing after a refusal. Runs as its own
 * process (`--flooder process`, the default: a real flooder is another machine, its client work does not
 * run on the server's cores' event loop) or as a worker thread of the bench process (`--flooder thread`,
 * the method before). Messages: in { start } → floods until { stop } → out { requests, statuses, ms }.
 */
import { parentPort, workerData } from 'node:worker_threads';

type Data = { url: string; token: string; connections: number; model: string; procedure: string };
type Message = { start: true } | { stop: true } | { exit: true };

const channel = parentPort
  ? {
      data: workerData as Data,
      on: (listener: (message: Message) => void) => parentPort?.on('message', listener),
      send: (message: unknown) => parentPort?.postMessage(message),
      close: () => parentPort?.close(),
    }
  : process.send
    ? {
        data: JSON.parse(process.env.FLOOD_DATA ?? '{}') as Data,
        on: (listener: (message: Message) => void) => process.on('message', listener),
        send: (message: unknown) => process.send?.(message),
        close: () => process.disconnect(),
      }
    : null;
if (!channel) throw new Error('flood.worker.ts runs as a worker thread or a forked process');
const { url, token, connections, model, procedure } = channel.data;

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
      const cause = (error as Error & { cause?: { code?: string } }).cause?.code;
      key = `error ${(error as Error).message}${cause ? ` (${cause})` : ''}`;
    }
    statuses[key] = (statuses[key] ?? 0) + 1;
  }
}

channel.on(async (message) => {
  if ('start' in message) {
    flooding = true;
    statuses = {};
    started = performance.now();
    loops = Array.from({ length: connections }, loop);
  } else if ('stop' in message) {
    flooding = false;
    await Promise.all(loops);
    const requests = Object.values(statuses).reduce((a, b) => a + b, 0);
    channel.send({ requests, statuses, ms: performance.now() - started });
  } else {
    channel.close();
  }
});
