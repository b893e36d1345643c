import { describe, expect, it } from 'vitest';
import { testEngine } from './test/db.ts';
import { getProcedure } from './test/http-calls.ts';
import { useServerBehindProxy } from './test/server-behind-proxy.ts';

// An outage needs a database on the other side of a network connection: PostgreSQL only (the embedded
// PGlite runs inside the server process and cannot become unreachable).
describe.skipIf(testEngine !== 'postgres')('the database unreachable, then back (PostgreSQL)', () => {
  const outage = useServerBehindProxy('outage_reader');

  const read = () =>
    getProcedure(
      outage.server.url,
      'predicts.list',
      { limit: 5 },
      { authorization: `Bearer ${outage.token}` },
    );

  it('answers 503 DATABASE_UNAVAILABLE with Retry-After during the outage, and recovers by itself', async () => {
    expect((await read()).status).toBe(200);
    await outage.proxy.cut();
    const during = await Promise.all(Array.from({ length: 10 }, read));
    for (const response of during) {
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(response.text).toContain('DATABASE_UNAVAILABLE');
      expect(response.text).not.toMatch(/ECONNRESET|CONNECTION_|select |stack/);
    }
    const ready = await fetch(`${outage.server.url}/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ ready: false, database: 'down' });
    expect((await fetch(`${outage.server.url}/health`)).status).toBe(200);
    await outage.proxy.restore();
    let status = 0;
    for (let attempt = 0; attempt < 50 && status !== 200; attempt++) {
      status = (await read()).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe(200);
    expect((await fetch(`${outage.server.url}/ready`)).status).toBe(200);
  });
});
