import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertPrices } from '../db/queries/price-upsert.ts';
import { createActor, TEST_PASSWORD } from '../test/actors.ts';
import { testEngine } from '../test/db.ts';
import { generateCandles } from '../test/price-csv.ts';
import { startTestServer, type TestServer } from '../test/server.ts';

type Answer = {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
  text: string;
};

/** Every answer of this file, so the last test can check that none carries a secret. */
const seen: { what: string; text: string; headers: Headers }[] = [];

describe(`legacy REST routes (${testEngine})`, () => {
  let server: TestServer;
  let user: { id: number; token: string };
  let other: { id: number; token: string };
  let admin: { id: number; token: string };
  // pydantic read any integer as an id (0, -1 and huge ones are not found), anything else 422
  const BAD_IDS = ['abc', '1.5', '1e3'];
  const ABSENT_IDS = ['0', '-1', '99999999999999999999'];

  async function call(
    method: string,
    path: string,
    options: {
      token?: string;
      body?: unknown;
      lang?: string;
      headers?: Record<string, string>;
      raw?: string;
    } = {},
  ): Promise<Answer> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.lang) headers['x-ethcast-language'] = options.lang;
    let body: string | undefined = options.raw;
    if (options.body !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = JSON.stringify(options.body);
    }
    const response = await fetch(`${server.url}${path}`, { method, headers, body });
    const text = await response.text();
    seen.push({ what: `${method} ${path}`, text, headers: response.headers });
    let parsed: Answer['body'] = {};
    try {
      parsed = JSON.parse(text);
    } catch {}
    return { status: response.status, body: parsed, headers: response.headers, text };
  }

  const login = async (username: string) => {
    const answer = await call('POST', '/users/login/', { body: { username, password: TEST_PASSWORD } });
    expect(answer.status).toBe(200);
    return { id: (answer.body.user as { id: number }).id, token: answer.body.token as string };
  };

  beforeAll(async () => {
    server = await startTestServer({ CORS_ORIGINS: 'http://old-frontend.example' });
    const services = server.services;
    await upsertPrices(services.db, generateCandles('ETH-USD', '2024-01-01', 500, 7), 'test');
    await createActor(services, 'maria');
    await createActor(services, 'pedro');
    await createActor(services, 'chefe', 'admin');
    user = await login('maria');
    other = await login('pedro');
    admin = await login('chefe');
  });
  afterAll(() => server?.stop());

  describe('users', () => {
    it('POST /users/register/ → 200 {message, user_id}; a taken name 400; bad input 422 with FastAPI’s detail list', async () => {
      const created = await call('POST', '/users/register/', {
        body: { username: 'joao', password: 'S3cure-passw0rd' },
      });
      expect(created.status).toBe(200);
      expect(created.body).toEqual({ message: 'Usuário criado com sucesso', user_id: expect.any(Number) });

      const taken = await call('POST', '/users/register/', {
        body: { username: 'JOAO', password: 'S3cure-passw0rd' },
      });
      expect(taken.status).toBe(400);
      expect(taken.body).toEqual({ error: 'Esse nome de usuário já existe' });

      const bad = await call('POST', '/users/register/', { body: { username: 'jo', password: 'short' } });
      expect(bad.status).toBe(422);
      expect(bad.headers.get('x-error-reason')).toBe('INVALID_INPUT');
      expect(bad.body).toEqual({
        detail: [
          { loc: ['body', 'username'], msg: expect.any(String), type: 'value_error.any_str.min_length' },
          { loc: ['body', 'password'], msg: expect.any(String), type: expect.any(String) },
        ],
      });
      const missing = await call('POST', '/users/register/', { body: { username: 'joana' } });
      expect(missing.body).toEqual({
        detail: [{ loc: ['body', 'password'], msg: 'field required', type: 'value_error.missing' }],
      });
      // pydantic 1 turned a number into the text of a str field
      const numeric = await call('POST', '/users/register/', {
        body: { username: 'numerico', password: 123456789012345 },
      });
      expect(numeric.status).toBe(200);
    });

    it('refuses bodies that are not a JSON object as FastAPI did: forms, broken JSON and arrays 422', async () => {
      const form = await call('POST', '/users/register/', {
        raw: 'username=eve&password=S3cure-passw0rd',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(form.status).toBe(422);
      expect(form.body).toEqual({
        detail: [{ loc: ['body'], msg: 'value is not a valid dict', type: 'type_error.dict' }],
      });
      const text = await call('POST', '/users/login/', {
        raw: '{"username":"maria"}',
        headers: { 'content-type': 'text/plain' },
      });
      expect(text.status).toBe(422);
      const broken = await call('POST', '/users/login/', {
        raw: '{"username":',
        headers: { 'content-type': 'application/json' },
      });
      expect(broken.status).toBe(422);
      expect(broken.body).toEqual({
        detail: [
          {
            loc: ['body', 12],
            msg: expect.any(String),
            type: 'value_error.jsondecode',
            ctx: { msg: expect.any(String), doc: '', pos: 12, lineno: 1, colno: 13 },
          },
        ],
      });
      const array = await call('POST', '/users/login/', { body: [1, 2] });
      expect(array.status).toBe(422);
    });

    it('POST /users/login/ → {message, user (no password), token}; wrong password 401 {error}; also without the slash', async () => {
      const ok = await call('POST', '/users/login', { body: { username: 'maria', password: TEST_PASSWORD } });
      expect(ok.status).toBe(200);
      expect(Object.keys(ok.body).sort()).toEqual(['message', 'token', 'user']);
      expect(ok.body.message).toBe('Login bem-sucedido');
      expect(ok.body.user).toEqual({
        id: user.id,
        username: 'maria',
        role: 'user',
        created_at: expect.any(String),
      });
      expect(ok.headers.get('set-cookie')).toBeNull();

      const wrong = await call('POST', '/users/login/', {
        body: { username: 'maria', password: 'not-the-password' },
      });
      expect(wrong.status).toBe(401);
      expect(wrong.body).toEqual({ error: 'Usuário ou senha inválidos' });
      const unknown = await call('POST', '/users/login/', {
        body: { username: 'nobody', password: 'not-the-password' },
      });
      expect(unknown.status).toBe(401);
      expect(unknown.body).toEqual(wrong.body);
      const english = await call('POST', '/users/login/', {
        body: { username: 'maria', password: TEST_PASSWORD },
        lang: 'en',
      });
      expect(english.body.message).toBe('Signed in');
      expect(english.headers.get('content-language')).toBe('en');
    });

    it('GET /users/list/: admins only (401 anonymous, 403 a user)', async () => {
      const list = await call('GET', '/users/list/', { token: admin.token });
      expect(list.status).toBe(200);
      expect(list.body.message).toBe('Lista de usuários na base');
      expect((list.body.users as { username: string }[]).map((u) => u.username)).toEqual(
        expect.arrayContaining(['maria', 'pedro', 'chefe']),
      );
      expect((await call('GET', '/users/list/')).status).toBe(401);
      expect((await call('GET', '/users/list/', { token: user.token })).status).toBe(403);
      const paged = await call('GET', '/users/list/?limit=1', { token: admin.token });
      expect(paged.body.users).toHaveLength(1);
      expect(paged.headers.get('x-next-cursor')).toMatch(/^\d+$/);
      expect((await call('GET', '/users/list/?limit=0', { token: admin.token })).status).toBe(422);
    });

    it('GET /users/get_by_id/{id} and /users/get/{username}: yourself, admins anyone; others refused; bad ids 422', async () => {
      const self = await call('GET', `/users/get_by_id/${user.id}`, { token: user.token });
      expect(self.status).toBe(200);
      expect(self.body).toEqual({
        message: 'Usuário requisitado',
        user: [{ id: user.id, username: 'maria', role: 'user', created_at: expect.any(String) }],
      });
      const byName = await call('GET', '/users/get/maria', { token: user.token });
      expect(byName.body).toEqual(self.body);
      expect((await call('GET', `/users/get_by_id/${other.id}`, { token: admin.token })).status).toBe(200);

      expect((await call('GET', `/users/get_by_id/${user.id}`)).status).toBe(401);
      expect((await call('GET', '/users/get/maria')).status).toBe(401);
      expect([403, 404]).toContain(
        (await call('GET', `/users/get_by_id/${other.id}`, { token: user.token })).status,
      );
      expect([403, 404]).toContain((await call('GET', '/users/get/pedro', { token: user.token })).status);
      const missing = await call('GET', '/users/get_by_id/999999', { token: admin.token });
      expect(missing.status).toBe(404);
      expect(missing.body).toEqual({ error: 'Nenhum usuário encontrado' });
      for (const id of BAD_IDS) {
        const bad = await call('GET', `/users/get_by_id/${id}`, { token: admin.token });
        expect(`${id}: ${bad.status}`).toBe(`${id}: 422`);
      }
      // an empty id or name is no path of the legacy backend's
      for (const path of ['/users/get_by_id/', '/users/get/', '/predicts/get//']) {
        const none = await call('GET', path, { token: admin.token });
        expect(`${path} ${none.status} ${none.text}`).toBe(`${path} 404 {"detail":"Not Found"}`);
      }
      for (const id of ABSENT_IDS) {
        const absent = await call('GET', `/users/get_by_id/${id}`, { token: admin.token });
        expect(`${id}: ${absent.status}`).toBe(`${id}: 404`);
        expect(absent.body).toEqual({ error: 'Nenhum usuário encontrado' });
        expect((await call('GET', `/users/get_by_id/${id}`)).status).toBe(401);
      }
    });

    it('PUT /users/update/{id}: own username; own password needs current_password; others refused', async () => {
      const renamed = await call('PUT', `/users/update/${other.id}`, {
        token: other.token,
        body: { username: 'pedro2' },
      });
      expect(renamed.status).toBe(200);
      expect(renamed.body).toMatchObject({
        message: 'Usuário atualizado com sucesso',
        user: [{ id: other.id, username: 'pedro2' }],
      });

      const noCurrent = await call('PUT', `/users/update/${other.id}`, {
        token: other.token,
        body: { username: 'pedro2', password: 'n3w-passw0rd!' },
      });
      expect(noCurrent.status).toBe(400);
      const changed = await call('PUT', `/users/update/${other.id}`, {
        token: other.token,
        body: { password: 'n3w-passw0rd!', current_password: TEST_PASSWORD },
      });
      expect(changed.status).toBe(200);
      const relogin = await call('POST', '/users/login/', {
        body: { username: 'pedro2', password: 'n3w-passw0rd!' },
      });
      expect(relogin.status).toBe(200);

      expect((await call('PUT', `/users/update/${other.id}`, { body: { username: 'x-y-z' } })).status).toBe(
        401,
      );
      expect([403, 404]).toContain(
        (await call('PUT', `/users/update/${other.id}`, { token: user.token, body: { username: 'stolen' } }))
          .status,
      );
      expect(
        (await call('PUT', '/users/update/abc', { token: user.token, body: { username: 'whatever' } }))
          .status,
      ).toBe(422);
    });

    it('DELETE /users/delete/{id} → {error: false, message}; others refused; the token dies with the account', async () => {
      const victim = await call('POST', '/users/register/', {
        body: { username: 'tchau', password: 'S3cure-passw0rd' },
      });
      const token = (
        await call('POST', '/users/login/', { body: { username: 'tchau', password: 'S3cure-passw0rd' } })
      ).body.token as string;
      const id = victim.body.user_id as number;
      const refused = await call('DELETE', `/users/delete/${id}`, { token: user.token });
      expect([403, 404]).toContain(refused.status);
      expect(refused.body).toEqual({ error: true, message: expect.any(String) });
      expect((await call('DELETE', `/users/delete/${id}`)).status).toBe(401);

      const deleted = await call('DELETE', `/users/delete/${id}`, { token });
      expect(deleted.status).toBe(200);
      expect(deleted.body).toEqual({ error: false, message: 'Usuário deletado com sucesso' });
      expect((await call('GET', `/users/get_by_id/${id}`, { token })).status).toBe(401);
      const again = await call('DELETE', `/users/delete/${id}`, { token: admin.token });
      expect(again.status).toBe(404);
      expect(again.body).toEqual({ error: true, message: 'Nenhum usuário encontrado' });
    });

    it('ignores the session cookie: only the bearer token signs a request in', async () => {
      const cookie = await call('GET', `/users/get_by_id/${user.id}`, {
        headers: { cookie: `ethcast_session=${user.token}` },
      });
      expect(cookie.status).toBe(401);
      expect(cookie.headers.get('www-authenticate')).toBe('Bearer');
      expect((await call('GET', `/users/get_by_id/${user.id}`, { token: 'not-a-token' })).status).toBe(401);
      // a cross-site form or fetch riding on the browser's cookie changes nothing
      const ride = await call('POST', '/predicts/predict/naive', {
        headers: { cookie: `ethcast_session=${user.token}`, origin: 'https://evil.example' },
        body: { days: 1 },
      });
      expect(ride.status).toBe(401);
      const rideDelete = await call('DELETE', `/users/delete/${user.id}`, {
        headers: { cookie: `ethcast_session=${user.token}` },
      });
      expect(rideDelete.status).toBe(401);
      expect((await call('GET', `/users/get_by_id/${user.id}`, { token: user.token })).status).toBe(200);
    });
  });

  describe('logs', () => {
    it('GET /logs/list/: admins see everyone, a user only their own, anonymous 401', async () => {
      const mine = await call('GET', '/logs/list/', { token: user.token });
      expect(mine.status).toBe(200);
      expect(mine.body.message).toBe('Lista de logs na base');
      const rows = mine.body.logs as { user_id: number | null; date: string }[];
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every((r) => r.user_id === user.id)).toBe(true);
      expect(Object.keys(rows[0] ?? {}).sort()).toEqual([
        'action',
        'created_at',
        'date',
        'id',
        'user_id',
        'username_log',
      ]);
      expect(rows[0]?.date).toMatch(/^\d{2}\/\d{2}\/\d{4}_\d{2}h\d{2}$/);
      const all = await call('GET', '/logs/list/', { token: admin.token });
      expect(new Set((all.body.logs as { user_id: number }[]).map((r) => r.user_id)).size).toBeGreaterThan(1);
      expect((await call('GET', '/logs/list/')).status).toBe(401);
    });

    it('GET/PUT/DELETE /logs/…/{id}: admins only; missing 404; bad ids 422', async () => {
      const [first] = (await call('GET', '/logs/list/?limit=1', { token: user.token })).body.logs as {
        id: number;
      }[];
      const id = first?.id ?? 0;
      const got = await call('GET', `/logs/get/${id}`, { token: admin.token });
      expect(got.status).toBe(200);
      expect(got.body).toMatchObject({ message: 'Log requisitado', log: [{ id, user_id: user.id }] });
      expect((await call('GET', `/logs/get/${id}`, { token: user.token })).status).toBe(403);
      expect((await call('GET', `/logs/get/${id}`)).status).toBe(401);
      const missing = await call('GET', '/logs/get/99999999', { token: admin.token });
      expect(missing.status).toBe(404);
      expect(missing.body).toEqual({ error: 'Nenhum log encontrado' });
      for (const bad of BAD_IDS)
        expect((await call('GET', `/logs/get/${bad}`, { token: admin.token })).status).toBe(422);
      for (const absent of ABSENT_IDS) {
        expect((await call('GET', `/logs/get/${absent}`, { token: admin.token })).status).toBe(404);
        expect((await call('GET', `/logs/get/${absent}`, { token: user.token })).status).toBe(403);
      }

      const updated = await call('PUT', `/logs/update/${id}`, {
        token: admin.token,
        body: { username_log: 'maria', action: 'corrigido' },
      });
      expect(updated.status).toBe(200);
      expect(updated.body).toMatchObject({
        message: 'Log atualizado com sucesso',
        log: [{ id, action: 'corrigido' }],
      });
      expect(
        (await call('PUT', `/logs/update/${id}`, { token: admin.token, body: { action: '' } })).status,
      ).toBe(422);
      expect(
        (
          await call('PUT', `/logs/update/${id}`, {
            token: user.token,
            body: { username_log: null, action: 'x' },
          })
        ).status,
      ).toBe(403);

      expect((await call('DELETE', `/logs/delete/${id}`, { token: user.token })).status).toBe(403);
      const deleted = await call('DELETE', `/logs/delete/${id}`, { token: admin.token });
      expect(deleted.body).toEqual({ error: false, message: 'Log deletado com sucesso' });
      const gone = await call('DELETE', `/logs/delete/${id}`, { token: admin.token, lang: 'en' });
      expect(gone.status).toBe(404);
      expect(gone.body).toEqual({ error: true, message: 'No log found' });
    });
  });

  describe('predicts', () => {
    it('POST /predicts/predict/{modelo} with the legacy body → 200 {status: success, data: [row]} with `days` points', async () => {
      const created = await call('POST', '/predicts/predict/naive', {
        token: user.token,
        // the legacy client's body, naming someone else: the session decides who forecasts
        body: { username: 'pedro', forecast: true, forecast_result: '', days: '3', user_id: other.id },
      });
      expect(created.status).toBe(200);
      expect(Object.keys(created.body).sort()).toEqual(['data', 'status']);
      expect(created.body.status).toBe('success');
      const [row] = created.body.data as { forecast_result: Record<string, number>[] }[];
      expect(created.body.data).toHaveLength(1);
      expect(row).toMatchObject({
        user_id: user.id,
        username_predict: 'maria',
        model: 'naive',
        symbol: 'ETH-USD',
        days: 3,
      });
      expect(row?.forecast_result).toHaveLength(3);
      for (const point of row?.forecast_result ?? []) {
        expect(Object.keys(point).sort()).toEqual([
          'date',
          'day',
          'lower80',
          'lower95',
          'predicted_value',
          'upper80',
          'upper95',
          'value',
        ]);
        expect(point.lower95).toBeLessThanOrEqual(point.value ?? Number.NaN);
        expect(point.upper95).toBeGreaterThanOrEqual(point.value ?? Number.NaN);
      }
      const one = await call('POST', '/predicts/predict/naive', { token: user.token, body: { days: 1 } });
      expect((one.body.data as { forecast_result: unknown[] }[])[0]?.forecast_result).toHaveLength(1);
    });

    it('refuses an unknown model, bad days, forecast:false and anonymous callers, in the route’s words', async () => {
      const unknown = await call('POST', '/predicts/predict/no-such-model', {
        token: user.token,
        body: { days: 3 },
      });
      expect(unknown.status).toBeGreaterThanOrEqual(400);
      expect(unknown.status).toBeLessThan(500);
      expect(unknown.body).toEqual({ status: 'error', message: expect.stringContaining("'no-such-model'") });
      const zero = await call('POST', '/predicts/predict/naive', { token: user.token, body: { days: 0 } });
      expect(zero.status).toBe(422);
      const off = await call('POST', '/predicts/predict/naive', {
        token: user.token,
        body: { days: 2, forecast: false },
      });
      expect(off.status).toBe(422);
      expect(off.body).toEqual({
        detail: [{ loc: ['body', 'forecast'], msg: expect.stringMatching(/true/), type: expect.any(String) }],
      });
      expect((await call('POST', '/predicts/predict/naive', { body: { days: 2 } })).status).toBe(401);
    });

    it('GET /predicts/list/ and /predicts/get/{id}: own rows; admins all; others’ rows 404 like missing ids', async () => {
      const made = await call('POST', '/predicts/predict/naive', { token: other.token, body: { days: 2 } });
      const othersId = (made.body.data as { id: number }[])[0]?.id ?? 0;

      const mine = await call('GET', '/predicts/list/', { token: user.token });
      expect(mine.status).toBe(200);
      expect(mine.body.message).toBe('Lista de predicts na base');
      const rows = mine.body.predict as { id: number; user_id: number; last_point: { day: string } }[];
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every((r) => r.user_id === user.id && typeof r.last_point.day === 'string')).toBe(true);
      const all = await call('GET', '/predicts/list/', { token: admin.token });
      expect((all.body.predict as { id: number }[]).map((r) => r.id)).toContain(othersId);
      expect((await call('GET', '/predicts/list/')).status).toBe(401);

      const id = rows[0]?.id ?? 0;
      const got = await call('GET', `/predicts/get/${id}`, { token: user.token });
      expect(got.status).toBe(200);
      expect(got.body.message).toBe('Predict requisitada');
      expect(got.body.user).toMatchObject([
        { id, user_id: user.id, forecast: true, actuals: expect.any(Array) },
      ]);
      expect(got.body.predict).toEqual(got.body.user);
      expect(
        (got.body.predict as { forecast_result: unknown[] }[])[0]?.forecast_result.length,
      ).toBeGreaterThan(0);

      const others = await call('GET', `/predicts/get/${othersId}`, { token: user.token });
      const missing = await call('GET', '/predicts/get/99999999', { token: user.token });
      expect(others.status).toBe(404);
      expect(others.body).toEqual(missing.body);
      expect(others.body).toEqual({ error: 'Nenhuma predict encontrada' });
      expect((await call('GET', `/predicts/get/${othersId}`, { token: admin.token })).status).toBe(200);
      expect((await call('GET', `/predicts/get/${id}`)).status).toBe(401);
      for (const bad of BAD_IDS)
        expect((await call('GET', `/predicts/get/${bad}`, { token: user.token })).status).toBe(422);
      for (const absent of ABSENT_IDS)
        expect((await call('GET', `/predicts/get/${absent}`, { token: user.token })).status).toBe(404);
    });

    it('PUT /predicts/update/{id} changes the note only: the forecast itself is 409; others’ rows 404', async () => {
      const made = await call('POST', '/predicts/predict/naive', { token: user.token, body: { days: 2 } });
      const row = (made.body.data as { id: number; forecast_result: unknown }[])[0];
      const id = row?.id ?? 0;
      const noted = await call('PUT', `/predicts/update/${id}`, {
        token: user.token,
        body: { note: 'alta?' },
      });
      expect(noted.status).toBe(200);
      expect(noted.body).toMatchObject({
        message: 'Predict atualizada com sucesso',
        predict: [{ id, note: 'alta?' }],
      });
      expect((noted.body.predict as { forecast_result: unknown }[])[0]?.forecast_result).toEqual(
        row?.forecast_result,
      );

      const legacyBody = { username: 'maria', forecast: true, forecast_result: '[]' };
      const immutable = await call('PUT', `/predicts/update/${id}`, { token: user.token, body: legacyBody });
      expect(immutable.status).toBe(409);
      expect(immutable.headers.get('x-error-reason')).toBe('FORECAST_IMMUTABLE');
      expect(immutable.body).toEqual({
        error: 'Uma predict armazenada é imutável: só a nota (note) pode mudar',
      });
      const english = await call('PUT', `/predicts/update/${id}`, {
        token: user.token,
        body: { model: 'drift' },
        lang: 'en',
      });
      expect(english.body.error).toBe('A stored forecast is immutable: only its note can change');

      expect(
        (await call('PUT', `/predicts/update/${id}`, { token: other.token, body: { note: 'meu' } })).status,
      ).toBe(404);
      expect((await call('PUT', `/predicts/update/${id}`, { body: { note: 'x' } })).status).toBe(401);
      expect(
        (await call('PUT', '/predicts/update/abc', { token: user.token, body: { note: 'x' } })).status,
      ).toBe(422);
      // 401, then 422, then 404, then the refusal
      expect((await call('PUT', '/predicts/update/abc', { body: legacyBody })).status).toBe(401);
      expect((await call('PUT', '/predicts/update/99999999', { body: legacyBody })).status).toBe(401);
      expect(
        (await call('PUT', '/predicts/update/abc', { token: user.token, body: legacyBody })).status,
      ).toBe(422);
      const gone = await call('PUT', '/predicts/update/99999999', { token: user.token, body: legacyBody });
      expect(gone.status).toBe(404);
      expect(gone.body).toEqual({ error: 'Nenhuma predict encontrada' });
      expect(
        (await call('PUT', `/predicts/update/${id}`, { token: other.token, body: legacyBody })).status,
      ).toBe(404);
    });

    it('DELETE /predicts/delete/{id} → {error: false, message}; others’ rows and missing ids 404', async () => {
      const made = await call('POST', '/predicts/predict/naive', { token: user.token, body: { days: 2 } });
      const id = (made.body.data as { id: number }[])[0]?.id ?? 0;
      const refused = await call('DELETE', `/predicts/delete/${id}`, { token: other.token });
      expect(refused.status).toBe(404);
      expect(refused.body).toEqual({ error: true, message: 'Nenhuma predict encontrada' });
      expect((await call('DELETE', `/predicts/delete/${id}`)).status).toBe(401);
      const deleted = await call('DELETE', `/predicts/delete/${id}`, { token: user.token });
      expect(deleted.status).toBe(200);
      expect(deleted.body).toEqual({ error: false, message: 'Predict deletada com sucesso' });
      expect((await call('DELETE', `/predicts/delete/${id}`, { token: user.token })).status).toBe(404);
      for (const bad of BAD_IDS)
        expect((await call('DELETE', `/predicts/delete/${bad}`, { token: user.token })).status).toBe(422);
      for (const absent of ABSENT_IDS)
        expect((await call('DELETE', `/predicts/delete/${absent}`, { token: user.token })).status).toBe(404);
    });
  });

  describe('as FastAPI answered, to the clients the legacy backend had', () => {
    const json = { 'content-type': 'application/json' };

    it('ignores a body where the route takes none, whatever its content type (an empty JSON one included)', async () => {
      const made = await call('POST', '/predicts/predict/naive', { token: user.token, body: { days: 1 } });
      const id = (made.body.data as { id: number }[])[0]?.id ?? 0;
      // a requests Session / fetch wrapper / curl -H with JSON default headers and no body
      const got = await call('GET', `/predicts/get/${id}`, { token: user.token, headers: json });
      expect(got.status).toBe(200);
      const text = await call('GET', `/predicts/get/${id}`, {
        token: user.token,
        headers: { 'content-type': 'text/plain' },
      });
      expect(text.status).toBe(200);
      const deleted = await call('DELETE', `/predicts/delete/${id}`, { token: user.token, headers: json });
      expect(deleted.status).toBe(200);
      expect(deleted.body).toEqual({ error: false, message: 'Predict deletada com sucesso' });
      const again = await call('DELETE', `/predicts/delete/${id}`, {
        token: user.token,
        headers: { 'content-type': 'text/plain' },
        raw: 'whatever',
      });
      expect(again.status).toBe(404);
      expect(again.body).toEqual({ error: true, message: 'Nenhuma predict encontrada' });
    });

    it('another method is 405 {"detail": "Method Not Allowed"} with Allow, OPTIONS with a JSON content type too', async () => {
      for (const [method, path, allow] of [
        ['POST', '/predicts/list/', 'GET'],
        ['PUT', '/users/get_by_id/1', 'GET'],
        ['GET', '/predicts/delete/1', 'DELETE'],
        ['HEAD', '/predicts/delete/1', 'DELETE'],
        ['OPTIONS', '/predicts/delete/1', 'DELETE'],
        ['PATCH', '/logs/update/1', 'PUT'],
      ] as const) {
        const answer = await call(method, path, { token: user.token, headers: json });
        expect(`${method} ${path} ${answer.status} ${answer.headers.get('allow')}`).toBe(
          `${method} ${path} 405 ${allow}`,
        );
        if (method !== 'HEAD') expect(answer.body).toEqual({ detail: 'Method Not Allowed' });
      }
    });

    it('the other slash form is a 307 to the documented path; an unknown path 404 {"detail": "Not Found"}', async () => {
      for (const [method, from, to] of [
        ['GET', '/users/list?limit=1', '/users/list/?limit=1'],
        ['POST', '/users/login', '/users/login/'],
        ['GET', '/predicts/get/7/', '/predicts/get/7'],
        ['DELETE', '/logs/delete/3/', '/logs/delete/3'],
      ] as const) {
        const response = await fetch(`${server.url}${from}`, { method, redirect: 'manual' });
        expect(`${method} ${from} ${response.status} ${response.headers.get('location')}`).toBe(
          `${method} ${from} 307 ${to}`,
        );
      }
      const unknown = await call('GET', '/predicts/nothing/');
      expect(unknown.status).toBe(404);
      expect(unknown.body).toEqual({ detail: 'Not Found' });
    });

    it('Portuguese whatever Accept-Language a browser sends; English with ?lang=en or X-Ethcast-Language', async () => {
      const browser = await call('GET', '/users/list/', {
        token: admin.token,
        headers: { 'accept-language': 'en-US,en;q=0.9' },
      });
      expect(browser.body.message).toBe('Lista de usuários na base');
      expect((await call('GET', '/users/list/?lang=en', { token: admin.token })).body.message).toBe('Users');
      expect((await call('GET', '/users/list/', { token: admin.token, lang: 'en' })).body.message).toBe(
        'Users',
      );
    });

    it('CORS: a configured origin may PUT and DELETE with Authorization; other origins get no CORS headers', async () => {
      const preflight = (origin: string, method: string, path: string) =>
        fetch(`${server.url}${path}`, {
          method: 'OPTIONS',
          headers: {
            origin,
            'access-control-request-method': method,
            'access-control-request-headers': 'authorization,content-type',
            'content-type': 'application/json',
          },
        });
      for (const [method, path] of [
        ['DELETE', '/predicts/delete/1'],
        ['PUT', '/predicts/update/1'],
        ['PUT', '/users/update/1'],
        ['POST', '/users/login/'],
      ] as const) {
        const ok = await preflight('http://old-frontend.example', method, path);
        expect(ok.status).toBe(204);
        expect(ok.headers.get('access-control-allow-origin')).toBe('http://old-frontend.example');
        expect(ok.headers.get('access-control-allow-methods')).toContain(method);
        expect(ok.headers.get('access-control-allow-headers')).toMatch(/Authorization.*Content-Type/);
        const foreign = await preflight('https://evil.example', method, path);
        expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
        expect(foreign.headers.get('access-control-allow-methods')).toBeNull();
      }
    });

    it('pydantic’s coercion: numeric text for a number, a number for text', async () => {
      const made = await call('POST', '/predicts/predict/naive', {
        token: user.token,
        body: { days: ' 2 ' },
      });
      expect(made.status).toBe(200);
      expect((made.body.data as { days: number }[])[0]?.days).toBe(2);
      const bad = await call('POST', '/predicts/predict/naive', { token: user.token, body: { days: '2.5' } });
      expect(bad.status).toBe(422);
      expect((bad.body.detail as { loc: unknown[] }[])[0]?.loc).toEqual(['body', 'days']);
    });
  });

  it('no answer carried a password, a hash, a stack trace or SQL, and every failure named its reason', () => {
    expect(seen.length).toBeGreaterThan(100);
    for (const { what, text, headers } of seen) {
      expect(`${what}: ${/"password"\s*:/.test(text)}`).toBe(`${what}: false`);
      expect(`${what}: ${/\$2[aby]\$/.test(text)}`).toBe(`${what}: false`);
      expect(`${what}: ${/\bat .+\.[jt]s:\d+|"stack"|"trace"/.test(text)}`).toBe(`${what}: false`);
      expect(
        `${what}: ${/\b(select|insert into|update .* set|delete from)\b|Failed query/i.test(text)}`,
      ).toBe(`${what}: false`);
      if (/"error":\s*(true|")/.test(text) || /"status":"error"/.test(text)) {
        expect(`${what}: ${headers.get('x-error-reason') ?? 'none'}`).toMatch(/: [A-Z_]+$/);
      }
    }
  });
});
