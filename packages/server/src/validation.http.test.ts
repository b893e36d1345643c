import { describe, expect, it } from 'vitest';
import { writeLog } from './db/queries/logs.ts';
import { createActor, storeForecast } from './test/actors.ts';
import { testEngine } from './test/db.ts';
import { useTestServer } from './test/fixtures.ts';
import { getProcedure, postProcedure } from './test/http-calls.ts';
import type { TestServer } from './test/server.ts';

// PostgreSQL refuses NUL in text (22021); every text input must refuse it (and other control
// characters) with 400 before it reaches the database.
describe(`control characters in text inputs (${testEngine})`, () => {
  let server: TestServer;
  let admin: string;
  let forecastId: number;
  let logId: number;
  useTestServer(async (started, services) => {
    server = started;
    const actor = await createActor(services, 'nul_admin', 'admin');
    admin = actor.token;
    forecastId = (await storeForecast(services.db, actor.user)).id;
    logId = (await writeLog(services.db, { userId: null, username: 'x', action: 'y' })).id;
  });

  const nul = 'a\u0000b';
  const cases = (): [string, 'get' | 'post', unknown][] => [
    ['users.login', 'post', { username: nul, password: 'whatever-password' }],
    ['users.login', 'post', { username: 'someone', password: `pass${nul}word` }],
    ['users.register', 'post', { username: 'okname', password: `long-enough${nul}` }],
    ['users.byUsername', 'get', { username: nul }],
    ['users.list', 'get', { search: nul }],
    ['users.list', 'get', { search: 'tab\there' }],
    ['logs.list', 'get', { action: nul }],
    ['logs.update', 'post', { id: logId, usernameLog: nul, action: 'ok' }],
    ['logs.update', 'post', { id: logId, usernameLog: 'ok', action: nul }],
    ['logs.update', 'post', { id: logId, usernameLog: 'ok', action: 'bell\u0007' }],
    ['predicts.update', 'post', { id: forecastId, note: nul }],
    ['predicts.update', 'post', { id: forecastId, note: 'escape \u001b[31m' }],
    ['predicts.create', 'post', { days: 1, note: nul }],
  ];

  it('answers 400 INVALID_INPUT naming the field, never 500', async () => {
    for (const [path, method, input] of cases()) {
      const auth = { authorization: `Bearer ${admin}` };
      const response =
        method === 'get'
          ? await getProcedure(server.url, path, input, auth)
          : await postProcedure(server.url, path, input, auth);
      expect({ path, input, status: response.status }).toEqual({ path, input, status: 400 });
      expect(response.text).toContain('INVALID_INPUT');
      expect(response.text).toContain('must not contain control characters');
    }
  });

  it('keeps line breaks in a note', async () => {
    const response = await postProcedure(
      server.url,
      'predicts.update',
      { id: forecastId, note: 'two\nlines' },
      { authorization: `Bearer ${admin}` },
    );
    expect(response.status).toBe(200);
    expect(response.text).toContain('two\\nlines');
  });
});
