import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertPrices } from '../db/queries/price-upsert.ts';
import { createActor, TEST_PASSWORD } from '../test/actors.ts';
import { testEngine } from '../test/db.ts';
import { generateCandles } from '../test/price-csv.ts';
import { startTestServer, type TestServer } from '../test/server.ts';

describe(`/api: the procedures as plain JSON (${testEngine})`, () => {
  let server: TestServer;
  let token: string;

  const api = async (
    method: 'GET' | 'POST',
    path: string,
    options: { body?: unknown; token?: string } = {},
  ) => {
    const response = await fetch(`${server.url}/api/${path}`, {
      method,
      headers: {
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        'accept-language': 'en',
      },
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> & unknown[] };
  };

  beforeAll(async () => {
    server = await startTestServer();
    await upsertPrices(server.services.db, generateCandles('ETH-USD', '2024-01-01', 500, 5), 'test');
    await createActor(server.services, 'rita');
  });
  afterAll(() => server?.stop());

  it('signs in with a plain JSON body (no superjson envelope) and answers ISO dates', async () => {
    const login = await api('POST', 'users/login', { body: { username: 'rita', password: TEST_PASSWORD } });
    expect(login.status).toBe(200);
    expect(login.body).toMatchObject({ token: expect.any(String), user: { username: 'rita' } });
    expect(login.body.expiresAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(JSON.stringify(login.body)).not.toMatch(/password|\$2[aby]\$/);
    token = login.body.token as unknown as string;
    const me = await api('GET', 'users/me', { token });
    expect(me.body).toMatchObject({ username: 'rita', role: 'user' });
  });

  it('takes query parameters for queries, converting numbers and dates for the procedure', async () => {
    const created = await api('POST', 'predicts/create', { token, body: { model: 'naive', days: 2 } });
    expect(created.status).toBe(200);
    expect(created.body.points).toHaveLength(2);
    const byId = await api('GET', `predicts/byId?id=${created.body.id}`, { token });
    expect(byId.body).toMatchObject({ id: created.body.id, actuals: [] });
    const logs = await api('GET', 'logs/list?limit=2&from=2020-01-01T00:00:00Z', { token });
    expect(logs.status).toBe(200);
    expect(logs.body.items).toHaveLength(2);
    const models = await api('GET', 'models/list?symbol=ETH-USD');
    expect((models.body as unknown as { name: string }[]).map((m) => m.name)).toContain('naive');
  });

  it('answers failures with their status, reason code and fields', async () => {
    const anonymous = await api('GET', 'users/me');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toMatchObject({
      error: expect.any(String),
      reason: expect.stringMatching(/^UNAUTH/),
    });
    const bad = await api('GET', 'predicts/byId?id=abc', { token });
    expect(bad.status).toBe(422);
    expect(bad.body).toMatchObject({ reason: 'INVALID_INPUT', fields: { id: expect.any(String) } });
    const extra = await api('POST', 'predicts/create', { token, body: { days: 2, userId: 99 } });
    expect(extra.status).toBe(422);
    const missing = await api('GET', 'predicts/byId?id=424242', { token });
    expect(missing).toMatchObject({ status: 404, body: { reason: 'NOT_FOUND' } });
  });
});
