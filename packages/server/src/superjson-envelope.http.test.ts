import superjson from 'superjson';
import { describe, expect, it } from 'vitest';
import { createActor, TEST_PASSWORD } from './test/actors.ts';
import { testEngine } from './test/db.ts';
import { useTestServer } from './test/fixtures.ts';
import type { TestServer } from './test/server.ts';

type Answer = { status: number; text: string };

const post = async (url: string, path: string, body: string): Promise<Answer> => {
  const response = await fetch(`${url}/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  return { status: response.status, text: await response.text() };
};

const get = async (url: string, path: string, input: string, token: string): Promise<Answer> => {
  const response = await fetch(`${url}/trpc/${path}?input=${encodeURIComponent(input)}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return { status: response.status, text: await response.text() };
};

/** What superjson's or the runtime's own wording would leak. */
const INTERNAL_TEXT =
  /call stack|destructure|Cannot read|undefined is not|is not a function|TypeError|RangeError|at \w+ \(/;

// The superjson envelope ({"json": …, "meta": …}) comes from the client: a malformed one is the
// client's mistake, answered 400 MALFORMED_REQUEST in our words, never superjson's or the runtime's.
describe(`malformed superjson envelopes (${testEngine})`, () => {
  let server: TestServer;
  let token: string;
  useTestServer(async (started, services) => {
    server = started;
    token = (await createActor(services, 'envelope_user')).token;
  });

  const login = { username: 'envelope_user', password: TEST_PASSWORD };
  const bodies: [string, string][] = [
    [
      'an unknown class annotation',
      JSON.stringify({ json: login, meta: { values: { days: ['class', 'X'] } } }),
    ],
    [
      'a class annotation on an input field',
      JSON.stringify({ json: login, meta: { values: { username: ['class', 'X'] } } }),
    ],
    ['a custom annotation', JSON.stringify({ json: login, meta: { values: { username: ['custom', 'X'] } } })],
    ['a symbol annotation', JSON.stringify({ json: login, meta: { values: { username: ['symbol', 'X'] } } })],
    ['an unknown type name', JSON.stringify({ json: login, meta: { values: { username: ['Nope'] } } })],
    ['a null body', 'null'],
    ['a number body', '42'],
    ['a string body', '"text"'],
    ['an array body', '[1,2]'],
    ['meta that is not an object', JSON.stringify({ json: login, meta: 7 })],
    ['values that are not a tree', JSON.stringify({ json: login, meta: { values: 'Date' } })],
    [
      'a path annotation that is not a list',
      JSON.stringify({ json: login, meta: { values: { username: 5 } } }),
    ],
    [
      'referential equalities to nowhere',
      JSON.stringify({ json: login, meta: { referentialEqualities: { 'a.b.c': ['d.e'] } } }),
    ],
    [
      'prototype pollution paths',
      `{"json":${JSON.stringify(login)},"meta":{"values":{"__proto__":["Date"]}}}`,
    ],
    [
      'a deeply nested annotation path',
      JSON.stringify({ json: login, meta: { values: { 'a.b.c.d': ['Date'] } } }),
    ],
  ];

  for (const [name, body] of bodies) {
    it(`${name}: 400 MALFORMED_REQUEST, no internal text`, async () => {
      const answer = await post(server.url, 'users.login', body);
      expect(answer.status).toBe(400);
      expect(answer.text).toContain('MALFORMED_REQUEST');
      expect(answer.text).not.toMatch(INTERNAL_TEXT);
    });
  }

  it('a malformed envelope in a GET input: 400 MALFORMED_REQUEST', async () => {
    for (const input of [
      'null',
      JSON.stringify({ json: { id: 1 }, meta: { values: { id: ['class', 'X'] } } }),
    ]) {
      const answer = await get(server.url, 'predicts.byId', input, token);
      expect(answer.status).toBe(400);
      expect(answer.text).toContain('MALFORMED_REQUEST');
      expect(answer.text).not.toMatch(INTERNAL_TEXT);
    }
  });

  it('a batch with one bad envelope: 400 MALFORMED_REQUEST for its calls, no internal text', async () => {
    const body = JSON.stringify({
      0: { json: login },
      1: { json: login, meta: { values: { username: ['class', 'X'] } } },
    });
    const answer = await post(server.url, 'users.login,users.login?batch=1', body);
    expect(answer.status).toBe(400);
    expect(answer.text).not.toMatch(INTERNAL_TEXT);
    const parts = JSON.parse(answer.text) as { error?: { json: { data: { reason: string } } } }[];
    expect(parts.map((part) => part.error?.json.data.reason)).toEqual([
      'MALFORMED_REQUEST',
      'MALFORMED_REQUEST',
    ]);
  });

  it('well-formed envelopes still pass: plain values, Dates, undefined, no input', async () => {
    expect((await post(server.url, 'users.login', JSON.stringify(superjson.serialize(login)))).status).toBe(
      200,
    );
    // an annotated optional field (undefined) and an annotated Date reach the procedure's own validation
    const withUndefined = superjson.serialize({ ...login, password: undefined });
    const refused = await post(server.url, 'users.login', JSON.stringify(withUndefined));
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('INVALID_INPUT');
    const withDate = superjson.serialize({ ...login, username: new Date('2026-01-01T00:00:00Z') });
    expect(withDate.meta?.values).toEqual({ username: ['Date'] });
    const dated = await post(server.url, 'users.login', JSON.stringify(withDate));
    expect(dated.status).toBe(400);
    expect(dated.text).toContain('INVALID_INPUT');
    const health = await fetch(`${server.url}/trpc/health`);
    expect(health.status).toBe(200);
  });
});
