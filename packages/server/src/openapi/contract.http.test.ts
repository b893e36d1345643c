import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeLog } from '../db/queries/logs.ts';
import { upsertPrices } from '../db/queries/price-upsert.ts';
import { createSession } from '../db/queries/sessions.ts';
import { type Actor, createActor, storeForecast, TEST_PASSWORD } from '../test/actors.ts';
import { testEngine } from '../test/db.ts';
import { type Answer, ContractChecker, type OpenApiDocument } from '../test/openapi-contract.ts';
import { generateCandles } from '../test/price-csv.ts';
import { startTestServer, type TestServer } from '../test/server.ts';
import { twinOf } from './document.ts';
import { listProcedures } from './procedures.ts';
import { restPathOf } from './rest-face.ts';

/**
 * The contract: a traffic mix over EVERY operation of /openapi.json (good and bad inputs, no token, a
 * user's, an admin's; each REST route on its trailing-slash twin too; HEAD for every GET) sent to a real
 * server, and every answer checked against the document (status listed, content type, body schema).
 */

type Request = {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  query?: Record<string, unknown>;
  token?: string | undefined;
  json?: unknown;
  raw?: string;
  contentType?: string;
};

const PASSWORD = 'S3cure-passw0rd';
const MISSING_ID = 987_654_321;
const CSV =
  'date,open,high,low,close,volume\n2023-12-30,2300,2310,2280,2290.5,1000\n2023-12-31,2290,2300,2270,2281.75,900\n';

describe(`every answer matches /openapi.json (${testEngine})`, () => {
  let server: TestServer;
  let checker: ContractChecker;
  const violations: string[] = [];
  let sent = 0;

  function urlOf(request: Request): string {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(request.query ?? {})) {
      params.set(key, value instanceof Date ? value.toISOString() : String(value));
    }
    const query = params.toString();
    return `${request.path}${query ? `?${query}` : ''}`;
  }

  async function send(request: Request): Promise<Answer> {
    const headers: Record<string, string> = {};
    if (request.token) headers.authorization = `Bearer ${request.token}`;
    let body: string | undefined = request.raw;
    if (request.json !== undefined) body = JSON.stringify(request.json);
    if (body !== undefined) headers['content-type'] = request.contentType ?? 'application/json';
    const url = urlOf(request);
    const response = await fetch(`${server.url}${url}`, { method: request.method, headers, body });
    const answer = { status: response.status, headers: response.headers, text: await response.text() };
    sent++;
    violations.push(...checker.check(request.method, url, answer));
    return answer;
  }

  /** The request, then the same on the path's trailing-slash twin (REST routes), then HEAD for a GET. */
  async function exercise(request: Request): Promise<Answer> {
    const answer = await send(request);
    const isRest = checker.templateOf(twinOf(request.path)) !== null;
    const variants: Request[] = isRest ? [{ ...request, path: twinOf(request.path) }] : [];
    for (const variant of [request, ...variants]) {
      if (variant !== request) await send(variant);
      if (variant.method === 'GET') await send({ ...variant, method: 'HEAD' });
    }
    return answer;
  }

  let maria: Actor;
  let pedro: Actor;
  let chefe: Actor;
  beforeAll(async () => {
    server = await startTestServer();
    const response = await fetch(`${server.url}/openapi.json`);
    checker = new ContractChecker((await response.json()) as OpenApiDocument);
    await upsertPrices(server.services.db, generateCandles('ETH-USD', '2024-01-01', 500, 7), 'test');
    maria = await createActor(server.services, 'maria');
    pedro = await createActor(server.services, 'pedro');
    chefe = await createActor(server.services, 'chefe', 'admin');
  });
  afterAll(() => server?.stop());

  it('checks what it is meant to check (a broken answer is a violation)', () => {
    const headers = new Headers({ 'content-type': 'application/json' });
    const fine = {
      status: 200,
      headers,
      text: JSON.stringify({ status: 'ok', version: '1', uptimeSeconds: 3 }),
    };
    expect(checker.check('GET', '/health', fine)).toEqual([]);
    expect(checker.check('GET', '/health', { ...fine, text: '{"status":"ok"}' })).toHaveLength(1);
    expect(checker.check('GET', '/health', { ...fine, status: 418 })).toHaveLength(1);
    expect(
      checker.check('GET', '/health', { ...fine, headers: new Headers({ 'content-type': 'text/plain' }) }),
    ).toHaveLength(1);
    expect(checker.check('GET', '/no/such/route', fine)).toHaveLength(1);
    // an /api answer is checked against its procedure's output schema, not taken as "anything"
    const user = { id: 7, username: 'maria', role: 'user', createdAt: '2026-03-31T21:39:00.000Z' };
    const me = { ...fine, text: JSON.stringify(user) };
    expect(checker.check('GET', '/api/users/me', me)).toEqual([]);
    for (const broken of [{}, { ...user, role: 'root' }, { ...user, password: '$2b$10$hash' }, [user]]) {
      expect(checker.check('GET', '/api/users/me', { ...me, text: JSON.stringify(broken) })).toHaveLength(1);
    }
    const page = { items: [user], nextCursor: null };
    expect(checker.check('GET', '/api/users/list', { ...me, text: JSON.stringify(page) })).toEqual([]);
    expect(
      checker.check('GET', '/api/users/list', { ...me, text: JSON.stringify({ ...page, nextCursor: 'x' }) }),
    ).toHaveLength(1);
    checker.exercised.clear();
  });

  it('the root routes', async () => {
    for (const path of ['/', '/health', '/ready', '/openapi.json']) await exercise({ method: 'GET', path });
  });

  it('the legacy routes: success, 401, 403, 404, 409, 422, unreadable and non-JSON bodies', async () => {
    const { user: m } = maria;
    const u = maria.token;
    const a = chefe.token;
    const vitor = await createActor(server.services, 'vitor');
    const mine = await storeForecast(server.services.db, m);
    const doomed = await storeForecast(server.services.db, m);
    const theirs = await storeForecast(server.services.db, pedro.user);
    const log = await writeLog(server.services.db, {
      userId: m.id,
      username: m.username,
      action: 'a test row',
    });
    const doomedLog = await writeLog(server.services.db, {
      userId: null,
      username: null,
      action: 'to delete',
    });
    const requests: Request[] = [
      // users
      { method: 'POST', path: '/users/register/', json: { username: 'joao', password: PASSWORD } },
      { method: 'POST', path: '/users/register/', json: { username: 'jo', password: 'x' } },
      { method: 'POST', path: '/users/register/', raw: '{"username":', contentType: 'application/json' },
      { method: 'POST', path: '/users/register/', raw: 'joao', contentType: 'text/plain' },
      { method: 'POST', path: '/users/login/', json: { username: 'maria', password: TEST_PASSWORD } },
      { method: 'POST', path: '/users/login/', json: { username: 'ninguem', password: 'wrong-password' } },
      { method: 'POST', path: '/users/login/', json: {} },
      { method: 'GET', path: '/users/list/' },
      { method: 'GET', path: '/users/list/', token: u },
      { method: 'GET', path: '/users/list/', token: a, query: { limit: 2 } },
      { method: 'GET', path: '/users/list/', token: a, query: { limit: 'abc' } },
      { method: 'GET', path: `/users/get_by_id/${m.id}`, token: u },
      { method: 'GET', path: `/users/get_by_id/${m.id}` },
      { method: 'GET', path: '/users/get_by_id/abc', token: u },
      { method: 'GET', path: `/users/get_by_id/${MISSING_ID}`, token: u },
      { method: 'GET', path: '/users/get/maria', token: u },
      { method: 'GET', path: '/users/get/ninguem', token: u },
      { method: 'GET', path: '/users/get/maria' },
      { method: 'PUT', path: `/users/update/${pedro.user.id}`, token: a, json: { username: 'pedro' } },
      { method: 'PUT', path: `/users/update/${vitor.user.id}`, token: u, json: { username: 'vitor_b' } },
      { method: 'PUT', path: `/users/update/${m.id}`, token: u, json: { password: 'short' } },
      { method: 'PUT', path: `/users/update/${m.id}`, json: { username: 'maria' } },
      { method: 'PUT', path: '/users/update/abc', token: u, json: { username: 'maria' } },
      { method: 'DELETE', path: `/users/delete/${vitor.user.id}`, token: u },
      { method: 'DELETE', path: `/users/delete/${vitor.user.id}`, token: a },
      { method: 'DELETE', path: `/users/delete/${vitor.user.id}` },
      { method: 'DELETE', path: '/users/delete/abc', token: a },
      // logs
      { method: 'GET', path: '/logs/list/', token: u },
      { method: 'GET', path: '/logs/list/', token: a, query: { limit: 3 } },
      { method: 'GET', path: '/logs/list/' },
      { method: 'GET', path: `/logs/get/${log.id}`, token: a },
      { method: 'GET', path: `/logs/get/${log.id}`, token: u },
      { method: 'GET', path: `/logs/get/${MISSING_ID}`, token: a },
      { method: 'GET', path: '/logs/get/abc', token: a },
      {
        method: 'PUT',
        path: `/logs/update/${log.id}`,
        token: a,
        json: { username_log: 'maria', action: 'fixed' },
      },
      { method: 'PUT', path: `/logs/update/${log.id}`, token: a, json: { action: '' } },
      { method: 'PUT', path: `/logs/update/${log.id}`, token: u, json: { username_log: null, action: 'x' } },
      {
        method: 'PUT',
        path: `/logs/update/${MISSING_ID}`,
        token: a,
        json: { username_log: null, action: 'x' },
      },
      { method: 'DELETE', path: `/logs/delete/${doomedLog.id}`, token: a },
      { method: 'DELETE', path: `/logs/delete/${doomedLog.id}`, token: u },
      { method: 'DELETE', path: `/logs/delete/${doomedLog.id}` },
      // predicts
      { method: 'POST', path: '/predicts/predict/naive', token: u, json: { days: 3, forecast: true } },
      { method: 'POST', path: '/predicts/predict/naive', token: u, json: { days: 0 } },
      { method: 'POST', path: '/predicts/predict/nope', token: u, json: { days: 3 } },
      { method: 'POST', path: '/predicts/predict/naive', json: { days: 3 } },
      { method: 'GET', path: '/predicts/list/', token: u },
      { method: 'GET', path: '/predicts/list/', token: a, query: { limit: 2 } },
      { method: 'GET', path: '/predicts/list/' },
      { method: 'GET', path: `/predicts/get/${mine.id}`, token: u },
      { method: 'GET', path: `/predicts/get/${theirs.id}`, token: u },
      { method: 'GET', path: '/predicts/get/abc', token: u },
      { method: 'PUT', path: `/predicts/update/${mine.id}`, token: u, json: { note: 'alta?' } },
      { method: 'PUT', path: `/predicts/update/${mine.id}`, token: u, json: { days: 9 } },
      { method: 'PUT', path: `/predicts/update/${theirs.id}`, token: u, json: { note: 'x' } },
      { method: 'PUT', path: `/predicts/update/${mine.id}`, json: { note: 'x' } },
      { method: 'DELETE', path: `/predicts/delete/${doomed.id}`, token: u },
      { method: 'DELETE', path: `/predicts/delete/${theirs.id}`, token: u },
      { method: 'DELETE', path: '/predicts/delete/abc', token: u },
    ];
    for (const request of requests) await exercise(request);
  });

  it('the /api face of every procedure: no token, a user, an admin, invalid input', async () => {
    const u = maria.token;
    const a = chefe.token;
    const db = server.services.db;
    const victim = await createActor(server.services, 'victim');
    const mine = await storeForecast(db, maria.user);
    const doomed = await storeForecast(db, maria.user);
    const log = await writeLog(db, { userId: null, username: null, action: 'a test row' });
    const doomedLog = await writeLog(db, { userId: null, username: null, action: 'to delete' });
    const spare = async (actor: Actor) => (await createSession(db, actor.user.id)).token;
    /** inputs to send, each with no token, a user's and an admin's (unless `tokens` says otherwise) */
    const plan: Record<string, { inputs?: unknown[]; tokens?: (string | undefined)[] }> = {
      'users.register': { inputs: [{ username: 'ana_api', password: PASSWORD }] },
      'users.createAdmin': { inputs: [{ username: 'chefe_dois', password: PASSWORD }] },
      'users.bootstrapAdmin': { inputs: [{ username: 'first_admin', password: PASSWORD, token: 'not-it' }] },
      'users.login': {
        inputs: [
          { username: 'pedro', password: TEST_PASSWORD },
          { username: 'pedro', password: 'wrong-password' },
        ],
      },
      'users.logout': { tokens: [undefined, await spare(maria), await spare(chefe)] },
      'users.list': { inputs: [undefined, { limit: 2, search: 'ma' }] },
      'users.byId': { inputs: [{ id: maria.user.id }, { id: MISSING_ID }] },
      'users.byUsername': { inputs: [{ username: 'maria' }, { username: 'ninguem' }] },
      'users.update': {
        inputs: [
          { id: victim.user.id, username: 'victim_b' },
          { id: maria.user.id },
          { id: maria.user.id, password: 'S3cure-passw0rd-2' },
          { id: maria.user.id, role: 'admin' },
        ],
      },
      'users.delete': { inputs: [{ id: victim.user.id }, { id: MISSING_ID }] },
      'logs.list': { inputs: [undefined, { limit: 2, from: new Date('2020-01-01T00:00:00Z') }] },
      'logs.byId': { inputs: [{ id: log.id }, { id: MISSING_ID }] },
      'logs.update': { inputs: [{ id: log.id, usernameLog: null, action: 'corrected' }] },
      'logs.delete': { inputs: [{ id: doomedLog.id }] },
      'prices.range': {
        inputs: [
          { symbol: 'ETH-USD', limit: 3 },
          { symbol: 'ETH-USD', from: '2024-02-01' },
        ],
      },
      'prices.sync': { inputs: [{ symbol: 'ETH-USD' }] },
      'prices.latest': { inputs: [{ symbol: 'ETH-USD' }, { symbol: 'BTC-USD' }] },
      'models.list': { inputs: [undefined, { symbol: 'ETH-USD' }] },
      'models.trackRecord': {
        inputs: [{ symbol: 'ETH-USD' }, { symbol: 'ETH-USD', model: 'naive', horizon: 1 }],
      },
      'predicts.create': {
        inputs: [
          { model: 'naive', days: 2 },
          { model: 'nope', days: 2 },
          { model: 'naive', days: 2, symbol: 'BTC-USD' },
        ],
      },
      'predicts.list': { inputs: [undefined, { limit: 2, model: 'naive' }] },
      'predicts.byId': { inputs: [{ id: mine.id }, { id: MISSING_ID }] },
      'predicts.update': {
        inputs: [
          { id: mine.id, note: 'alta?' },
          { id: MISSING_ID, note: null },
        ],
      },
      'predicts.delete': { inputs: [{ id: doomed.id }] },
      'jobs.runs': { inputs: [{ name: 'sync-prices' }, { name: 'no-such-job' }] },
      'jobs.run': { inputs: [{ name: 'score-forecasts' }, { name: 'no-such-job' }] },
    };
    for (const procedure of listProcedures()) {
      const { inputs = [undefined], tokens = [undefined, u, a] } = plan[procedure.path] ?? {};
      const path = restPathOf(procedure.path);
      const isQuery = procedure.type === 'query';
      for (const token of tokens) {
        for (const input of inputs) {
          const request: Request = { method: isQuery ? 'GET' : 'POST', path, token };
          if (isQuery && input) request.query = input as Record<string, unknown>;
          if (!isQuery && input !== undefined) request.json = input;
          await exercise(request);
        }
      }
      // input the procedure's schema refuses (422); the token least likely to be refused before it
      const refused = { unknownField: 'x' };
      const last = tokens.at(-1);
      await send(
        isQuery
          ? { method: 'GET', path, token: last, query: refused }
          : { method: 'POST', path, token: last, json: refused },
      );
      if (!isQuery) await send({ method: 'POST', path, token: last, json: [1, 2] });
    }
  });

  it('POST /api/prices/import: a file, a refused file, bad parameters, no token, not an admin', async () => {
    const path = '/api/prices/import';
    const someone = await createActor(server.services, 'someone');
    const csv = (
      query: Record<string, unknown>,
      token: string | undefined,
      raw = CSV,
      contentType = 'text/csv',
    ) => send({ method: 'POST', path, query, token, raw, contentType });
    expect((await csv({ symbol: 'ETH-USD', name: 'eth.csv' }, chefe.token)).status).toBe(200);
    expect(
      (
        await csv(
          { symbol: 'ETH-USD' },
          chefe.token,
          'date,open,high,low,close,volume\n2023-12-29,1,2,0.5,abc,10\n',
        )
      ).status,
    ).toBe(422);
    expect((await csv({ symbol: 'ETH-USD', skipBad: 'maybe' }, chefe.token)).status).toBe(400);
    expect((await csv({ symbol: 'ETH-USD' }, undefined)).status).toBe(401);
    expect((await csv({ symbol: 'ETH-USD' }, someone.token)).status).toBe(403);
    expect((await csv({ symbol: 'ETH-USD' }, chefe.token, '<a/>', 'application/xml')).status).toBe(415);
    expect((await csv({ symbol: 'ETH-USD' }, chefe.token, '{"a":', 'application/json')).status).toBe(400);
    const large = JSON.stringify({ pad: 'x'.repeat(1_100_000) });
    expect((await csv({ symbol: 'ETH-USD' }, chefe.token, large, 'application/json')).status).toBe(413);
  });

  it('finds no violation, and exercised every documented operation', () => {
    expect(violations).toEqual([]);
    const missed = checker.operations().filter((operation) => !checker.exercised.has(operation));
    expect(missed).toEqual([]);
    expect(sent).toBeGreaterThan(checker.operations().length);
  });
});
