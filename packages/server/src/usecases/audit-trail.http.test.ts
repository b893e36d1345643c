import { desc, gt, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../db/client.ts';
import { logs } from '../db/schema.ts';
import { type Actor, createActor, TEST_PASSWORD } from '../test/actors.ts';
import { testEngine } from '../test/db.ts';
import { jobsEnv } from '../test/jobs.ts';
import { generateCandles, seedPrices, toCsv } from '../test/price-csv.ts';
import { startTestServer, type TestServer } from '../test/server.ts';

/**
 * Every state change, through every face that offers it, leaves exactly one audit-log row with its
 * action: the rule lives in the use case, so no face can forget it or write it twice.
 */
type Target = { actor: Actor; id: number };
type Case = {
  face: 'tRPC' | 'legacy REST' | '/api' | 'upload route';
  change: string;
  /** who acts and on what, made before the rows are counted (default: the admin) */
  prepare?: (s: TestServer) => Promise<Target>;
  act: (s: TestServer, actor: Actor, id: number) => Promise<unknown>;
  action: RegExp;
};

let seq = 0;
const fresh = (prefix: string) => `${prefix}_${++seq}`;
let admin: Actor;
const newUser = (s: TestServer) => createActor(s.services, fresh('u'));

/** A legacy REST call with the actor's bearer token; fails the case unless the route answered 2xx. */
async function rest(s: TestServer, method: string, path: string, token: string | null, body?: unknown) {
  const response = await fetch(`${s.url}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, text };
}

const ok = async (call: Promise<{ status: number; text: string }>) => {
  const { status, text } = await call;
  if (status >= 300) throw new Error(`${status}: ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
};
const refused = async (call: Promise<{ status: number; text: string }>, status: number) => {
  expect((await call).status).toBe(status);
};

/** A user with a stored forecast: `id` is the forecast's. */
const withForecast = async (s: TestServer): Promise<Target> => {
  const actor = await newUser(s);
  return { actor, id: (await actor.caller.predicts.create({ model: 'naive', days: 3 })).id };
};

/** A log row for an admin to edit or delete: `id` is the row's. */
const withLogRow = async (s: TestServer): Promise<Target> => {
  const [row] = await queryRows<{ id: number }>(
    s.services.db,
    sql`insert into logs (username_log, action) values ('x', 'a row to edit') returning id::int as id`,
  );
  return { actor: admin, id: row?.id ?? 0 };
};

/** A fresh signed-in user. */
const withUser = async (s: TestServer): Promise<Target> => {
  const actor = await newUser(s);
  return { actor, id: actor.user.id };
};

/**
 * One change with a case for each face that offers it (in the order given): the same preparation and
 * the same audit action on every face.
 */
const change = (
  name: string,
  action: RegExp,
  prepare: Case['prepare'],
  faces: Partial<Record<Case['face'], Case['act']>>,
): Case[] =>
  Object.entries(faces).map(([face, act]) => ({
    face: face as Case['face'],
    change: name,
    ...(prepare ? { prepare } : {}),
    act,
    action,
  }));

const cases: Case[] = [
  // accounts
  ...change('register', /^user registered$/, undefined, {
    tRPC: (s) => s.client().users.register.mutate({ username: fresh('r'), password: TEST_PASSWORD }),
    'legacy REST': (s) =>
      ok(rest(s, 'POST', '/users/register/', null, { username: fresh('r'), password: TEST_PASSWORD })),
    '/api': (s) =>
      ok(rest(s, 'POST', '/api/users/register', null, { username: fresh('r'), password: TEST_PASSWORD })),
  }),
  ...change('create an admin', /^admin created from cli$/, undefined, {
    tRPC: (s) =>
      s.client(admin.token).users.createAdmin.mutate({ username: fresh('a'), password: TEST_PASSWORD }),
  }),
  ...change('login success', /^login success$/, withUser, {
    tRPC: (s, u) => s.client().users.login.mutate({ username: u.user.username, password: TEST_PASSWORD }),
    'legacy REST': (s, u) =>
      ok(rest(s, 'POST', '/users/login/', null, { username: u.user.username, password: TEST_PASSWORD })),
  }),
  ...change('login failure', /^login failed$/, withUser, {
    tRPC: (s, u) =>
      expect(
        s.client().users.login.mutate({ username: u.user.username, password: 'wrong-password' }),
      ).rejects.toThrow(),
    'legacy REST': (s, u) =>
      refused(
        rest(s, 'POST', '/users/login/', null, { username: u.user.username, password: 'nope-nope' }),
        401,
      ),
  }),
  ...change('logout', /^logout$/, withUser, {
    tRPC: (s, u) => s.client(u.token).users.logout.mutate(),
  }),
  ...change('user update', /^user \d+ updated: username$/, withUser, {
    tRPC: (s, u) => s.client(u.token).users.update.mutate({ id: u.user.id, username: fresh('n') }),
    'legacy REST': (s, u) =>
      ok(rest(s, 'PUT', `/users/update/${u.user.id}`, u.token, { username: fresh('n') })),
  }),
  ...change('role change', /^user \d+ updated: role=admin$/, withUser, {
    tRPC: (s, u) => s.client(admin.token).users.update.mutate({ id: u.user.id, role: 'admin' }),
  }),
  ...change('password change', /^user \d+ updated: password$/, withUser, {
    tRPC: (s, u) =>
      s
        .client(u.token)
        .users.update.mutate({ id: u.user.id, password: 'another-password', currentPassword: TEST_PASSWORD }),
    'legacy REST': (s, u) =>
      ok(
        rest(s, 'PUT', `/users/update/${u.user.id}`, u.token, {
          password: 'another-password',
          current_password: TEST_PASSWORD,
        }),
      ),
  }),
  ...change('user delete', /^user \d+ deleted \(u_\d+\)$/, withUser, {
    tRPC: (s, u) => s.client(admin.token).users.delete.mutate({ id: u.user.id }),
    'legacy REST': (s, u) => ok(rest(s, 'DELETE', `/users/delete/${u.user.id}`, u.token)),
  }),
  // forecasts
  ...change('forecast create', /^predict success with model naive$/, withUser, {
    tRPC: (s, u) => s.client(u.token).predicts.create.mutate({ model: 'naive', days: 3 }),
    'legacy REST': (s, u) => ok(rest(s, 'POST', '/predicts/predict/naive', u.token, { days: 3 })),
  }),
  ...change('failed forecast create', /^predict failed with model no-such-model$/, withUser, {
    tRPC: (s, u) =>
      expect(s.client(u.token).predicts.create.mutate({ model: 'no-such-model', days: 3 })).rejects.toThrow(),
  }),
  ...change('forecast note', /^predict \d+ note updated$/, withForecast, {
    tRPC: (s, u, id) => s.client(u.token).predicts.update.mutate({ id: id, note: 'later' }),
    'legacy REST': (s, u, id) => ok(rest(s, 'PUT', `/predicts/update/${id}`, u.token, { note: 'later' })),
  }),
  ...change('forecast delete', /^predict \d+ deleted$/, withForecast, {
    tRPC: (s, u, id) => s.client(u.token).predicts.delete.mutate({ id: id }),
    'legacy REST': (s, u, id) => ok(rest(s, 'DELETE', `/predicts/delete/${id}`, u.token)),
  }),
  // the audit log itself (the actor carries the row's id)
  ...change('log edit', /^log \d+ edited$/, withLogRow, {
    tRPC: (s, _a, id) =>
      s.client(admin.token).logs.update.mutate({ id: id, usernameLog: null, action: 'fixed' }),
    'legacy REST': (s, _a, id) =>
      ok(rest(s, 'PUT', `/logs/update/${id}`, admin.token, { username_log: null, action: 'fixed' })),
  }),
  ...change('log delete', /^log \d+ deleted$/, withLogRow, {
    tRPC: (s, _a, id) => s.client(admin.token).logs.delete.mutate({ id: id }),
    'legacy REST': (s, _a, id) => ok(rest(s, 'DELETE', `/logs/delete/${id}`, admin.token)),
  }),
  // prices and jobs
  ...change(
    'price import',
    /^prices imported for BTC-USD: \d+ inserted, \d+ updated \(file:btc.csv\)$/,
    undefined,
    {
      'upload route': async (s) => {
        const csv = toCsv(generateCandles('BTC-USD', '2024-01-01', 5 + seq++, 4), 'plain');
        const response = await fetch(`${s.url}/api/prices/import?symbol=BTC-USD&name=btc.csv`, {
          method: 'POST',
          headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'text/csv' },
          body: csv,
        });
        expect(response.status).toBe(200);
      },
    },
  ),
  ...change('job run', /^job score-forecasts run by hand: succeeded$/, undefined, {
    tRPC: (s) => s.client(admin.token).jobs.run.mutate({ name: 'score-forecasts' }),
  }),
];

describe(`every state change through every face leaves exactly one audit row (${testEngine})`, () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(jobsEnv());
    await seedPrices(server.services.db, 'ETH-USD', '2024-01-01', 500, 3);
    admin = await createActor(server.services, 'trail_admin', 'admin');
  });
  afterAll(() => server?.stop());

  const newestId = async () =>
    (
      await queryRows<{ id: number }>(
        server.services.db,
        sql`select coalesce(max(id), 0)::int as id from logs`,
      )
    )[0]?.id ?? 0;

  // rows written by the change: those after the newest one before it (a log delete removes an older row)
  it.each(cases.map((c) => [c.face, c.change, c] as const))('%s: %s', async (_face, _change, c) => {
    const { actor, id } = c.prepare ? await c.prepare(server) : { actor: admin, id: 0 };
    const before = await newestId();
    await c.act(server, actor, id);
    const written = await server.services.db
      .select({ action: logs.action })
      .from(logs)
      .where(gt(logs.id, before))
      .orderBy(desc(logs.id));
    expect(written).toHaveLength(1);
    expect(written[0]?.action).toMatch(c.action);
  });
});
