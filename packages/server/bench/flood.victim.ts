/**
 * User B of flood.bench.ts in its own process (`--victim process`, the default: a real user is another
 * machine, and its client work waits behind nothing on the server's event loop): on { measure } creates
 * `creates` forecasts one after another (one HTTP request each, @ethcast/client) and answers
 * { times } (ms each); on { exit } it ends.
 */
import { createEthcastClient } from '@ethcast/client';

type Data = { url: string; token: string; creates: number; model: string };
const { url, token, creates, model } = JSON.parse(process.env.VICTIM_DATA ?? '{}') as Data;
if (!process.send) throw new Error('flood.victim.ts runs as a forked process');
const client = createEthcastClient({ url, getToken: () => token, batch: false });

process.on('message', async (message: { measure: true } | { exit: true }) => {
  if ('exit' in message) {
    process.disconnect();
    return;
  }
  const times: number[] = [];
  for (let i = 0; i < creates; i++) {
    const t0 = performance.now();
    await client.predicts.create.mutate({ model, days: 30 });
    times.push(performance.now() - t0);
  }
  process.send?.({ times });
});
