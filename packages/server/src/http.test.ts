import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './test/server.ts';

describe('HTTP server', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.stop());

  it('answers health through @ethcast/client, and a Date survives the round trip', async () => {
    const before = Date.now();
    const health = await server.client().health.query();
    expect(health).toMatchObject({ status: 'ok', database: 'up', version: expect.any(String) });
    expect(health.time).toBeInstanceOf(Date);
    expect(health.time.getTime()).toBeGreaterThanOrEqual(before - 1000);
  });

  it('serves plain GET /health (liveness), GET /ready (readiness) and the legacy root', async () => {
    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
    const ready = await fetch(`${server.url}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ok', database: 'up', migrations: 'current' });
    const root = await fetch(`${server.url}/`);
    expect(await root.json()).toEqual({ message: 'working' });
  });

  it('answers an unknown procedure with NOT_FOUND and no stack trace', async () => {
    const response = await fetch(`${server.url}/trpc/nope.nothing`);
    const text = await response.text();
    expect(response.status).toBe(404);
    expect(text).toContain('NOT_FOUND');
    expect(text).not.toMatch(/stack|at .*\.ts:\d+/);
  });

  it('sends no CORS grant to other origins by default', async () => {
    const response = await fetch(`${server.url}/health`, { headers: { origin: 'https://evil.example' } });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});
