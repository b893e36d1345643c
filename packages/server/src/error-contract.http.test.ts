import { TRPCClientError } from '@ethcast/client';
import { describe, expect, it } from 'vitest';
import { fieldCodes } from './domain/input-errors.ts';
import type { AppRouter } from './router.ts';
import { createActors } from './test/actors.ts';
import { testEngine } from './test/db.ts';
import { useTestServer } from './test/fixtures.ts';
import { seedPrices } from './test/price-csv.ts';
import type { TestServer } from './test/server.ts';

type Data = NonNullable<TRPCClientError<AppRouter>['data']>;

async function dataOf(promise: Promise<unknown>): Promise<Data & { message: string }> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCClientError);
  const clientError = error as TRPCClientError<AppRouter>;
  return { ...(clientError.data as Data), message: clientError.message };
}

describe(`the error contract over HTTP (${testEngine})`, () => {
  let server: TestServer;
  let owner: string;
  let other: string;
  let forecastId: number;

  useTestServer(async (started, services) => {
    server = started;
    await seedPrices(services.db, 'ETH-USD', '2024-01-01', 120, 3);
    const actors = await createActors(services, { owner: 'contract_owner', other: 'contract_other' });
    owner = actors.owner.token;
    other = actors.other.token;
    forecastId = (await server.client(owner).predicts.create.mutate({ model: 'naive', days: 2 })).id;
  });

  it('predicts.create with days: 400 says "must be at most 365", with the field code TOO_BIG and its max', async () => {
    const data = await dataOf(server.client(owner).predicts.create.mutate({ model: 'naive', days: 400 }));
    expect(data.httpStatus).toBe(400);
    expect(data.reason).toBe('INVALID_INPUT');
    expect(data.fieldErrors).toEqual({ days: ['must be at most 365'] });
    expect(data.fieldIssues).toEqual({ days: [{ code: 'TOO_BIG', params: { max: 365 } }] });
    expect(data.message).toBe('Invalid input: days: must be at most 365');
  });

  it('each field rule answers its own code; unknown keys are a form issue', async () => {
    const client = server.client(owner);
    const fieldIssues = async (promise: Promise<unknown>) => (await dataOf(promise)).fieldIssues;
    expect(await fieldIssues(client.predicts.create.mutate({ days: 'x' as never }))).toEqual({
      days: [{ code: 'NOT_A_NUMBER', params: {} }],
    });
    expect(await fieldIssues(client.predicts.create.mutate({ days: 1.5 }))).toEqual({
      days: [{ code: 'NOT_AN_INTEGER', params: {} }],
    });
    expect(await fieldIssues(client.predicts.create.mutate({ days: 0 }))).toEqual({
      days: [{ code: 'TOO_SMALL', params: { min: 1 } }],
    });
    expect(await fieldIssues(client.predicts.create.mutate({ days: 3, symbol: 'eth' }))).toEqual({
      symbol: [{ code: 'SYMBOL_FORMAT', params: {} }],
    });
    expect(
      await fieldIssues(client.users.register.mutate({ username: 'bad name!', password: 'é'.repeat(37) })),
    ).toEqual({
      username: [{ code: 'USERNAME_CHARACTERS', params: {} }],
      password: [{ code: 'TOO_MANY_BYTES', params: { max: 72 } }],
    });
    expect(
      await fieldIssues(client.logs.list.query({ from: new Date('2026-02-01'), to: new Date('2026-01-01') })),
    ).toEqual({ from: [{ code: 'FROM_AFTER_TO', params: {} }] });
    expect(
      await fieldIssues(
        client.prices.range.query({ symbol: 'ETH-USD', from: '2021-02-01', to: '2021-01-01' }),
      ),
    ).toEqual({ from: [{ code: 'FROM_AFTER_TO', params: {} }] });
    const extra = await dataOf(client.logs.list.query({ limit: 10, extra: 1 } as never));
    expect(extra.formIssues).toEqual([{ code: 'UNKNOWN_KEYS', params: { keys: 'extra' } }]);
  });

  it('every field code a schema can produce is catalogued', () => {
    for (const code of ['TOO_BIG', 'NOT_A_NUMBER', 'SYMBOL_FORMAT', 'FROM_AFTER_TO', 'UNKNOWN_KEYS']) {
      expect(fieldCodes).toHaveProperty(code);
    }
  });

  it("another user's forecast answers exactly what a missing id answers", async () => {
    const theirs = await dataOf(server.client(other).predicts.byId.query({ id: forecastId }));
    const missing = await dataOf(server.client(other).predicts.byId.query({ id: forecastId + 1000 }));
    expect(theirs.httpStatus).toBe(404);
    expect(theirs.reason).toBe('NOT_FOUND');
    expect(theirs.params).toEqual({ entity: 'forecast', id: forecastId });
    expect(theirs.message).toBe(`forecast ${forecastId} not found`);
    expect(missing.message).toBe(`forecast ${forecastId + 1000} not found`);
  });

  it('domain failures carry their reason and params; tRPC failures get catalogued reasons too', async () => {
    const tooLong = await dataOf(server.client(owner).predicts.create.mutate({ model: 'naive', days: 31 }));
    expect(tooLong).toMatchObject({
      httpStatus: 400,
      reason: 'HORIZON_TOO_LONG',
      params: { model: 'naive', max: 30, asked: 31 },
      message: 'naive forecasts at most 30 days ahead; 31 were asked',
    });
    const wrong = await dataOf(
      server.client().users.login.mutate({ username: 'contract_owner', password: 'wrong-password' }),
    );
    expect(wrong).toMatchObject({ httpStatus: 401, reason: 'WRONG_CREDENTIALS', params: {} });
    const anonymous = await dataOf(server.client().users.me.query());
    expect(anonymous).toMatchObject({ httpStatus: 401, reason: 'UNAUTHENTICATED' });
    const notAdmin = await dataOf(server.client(owner).users.list.query({}));
    expect(notAdmin).toMatchObject({ httpStatus: 403, reason: 'ADMIN_ONLY' });
    const response = await fetch(`${server.url}/trpc/no.such.procedure`);
    expect(response.status).toBe(404);
    const body = (await response.json()) as { error: { json: { data: { reason: string } } } };
    expect(body.error.json.data.reason).toBe('NO_SUCH_PROCEDURE');
  });
});
