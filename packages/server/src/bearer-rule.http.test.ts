import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActor, testServices } from './test/actors.ts';
import { testEngine } from './test/db.ts';
import { startTestServer, type TestServer } from './test/server.ts';

const METRICS_TOKEN = 'metrics-token-0123456789';

/**
 * One rule for `Authorization: Bearer <token>` on every face. RFC 7235 makes the auth scheme
 * case-insensitive, and one or more spaces may separate it from the token (RFC 9110 §11.4); the token
 * itself is one word.
 */
describe(`one bearer rule for every face (${testEngine})`, () => {
  let server: TestServer;
  let token: string;
  beforeAll(async () => {
    server = await startTestServer({ METRICS: 'on', METRICS_TOKEN });
    token = (await createActor(testServices(server.testDb), 'bearer_admin', 'admin')).token;
  });
  afterAll(() => server?.stop());

  /** Each face with a request that needs the bearer; the status when it is accepted. */
  const faces = (credential: string) => ({
    trpc: () => fetch(`${server.url}/trpc/users.me`, { headers: { authorization: credential } }),
    api: () => fetch(`${server.url}/api/users/me`, { headers: { authorization: credential } }),
    legacy: () => fetch(`${server.url}/users/list/`, { headers: { authorization: credential } }),
    import: () =>
      fetch(`${server.url}/api/prices/import?symbol=ETH-USD`, {
        method: 'POST',
        headers: { authorization: credential, 'content-type': 'text/csv' },
        body: 'date,close\n2026-01-01,3000\n',
      }),
  });

  const accepted = ['Bearer {t}', 'bearer {t}', 'BEARER {t}', 'bEaReR {t}', 'Bearer  {t}', 'Bearer\t{t}'];
  const refused = ['Bearer {t} extra', 'Bearer{t}', 'Bearer', 'Token {t}', '{t}', 'Bearer {t}x'];

  for (const form of accepted) {
    it(`accepts "${form.replace('\t', '\\t')}" on tRPC, /api, the legacy routes and the import route`, async () => {
      const statuses: Record<string, number> = {};
      for (const [face, call] of Object.entries(faces(form.replace('{t}', token)))) {
        statuses[face] = (await call()).status;
      }
      expect(statuses).toEqual({ trpc: 200, api: 200, legacy: 200, import: statuses.import });
      expect([401, 403]).not.toContain(statuses.import);
      const metrics = await fetch(`${server.url}/metrics`, {
        headers: { authorization: form.replace('{t}', METRICS_TOKEN) },
      });
      expect(metrics.status).toBe(200);
    });
  }

  for (const form of refused) {
    it(`refuses "${form}" alike on every face`, async () => {
      const statuses: Record<string, number> = {};
      for (const [face, call] of Object.entries(faces(form.replace('{t}', token)))) {
        statuses[face] = (await call()).status;
      }
      expect(statuses).toEqual({ trpc: 401, api: 401, legacy: 401, import: 401 });
      const metrics = await fetch(`${server.url}/metrics`, {
        headers: { authorization: form.replace('{t}', METRICS_TOKEN) },
      });
      expect(metrics.status).toBe(401);
    });
  }
});
