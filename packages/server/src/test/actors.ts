import { TRPCError } from '@trpc/server';
import type { Context, Role } from '../context.ts';
import { createContextInner } from '../context.ts';
import type { Database } from '../db/client.ts';
import type { PredictionRow } from '../db/queries/predicts.ts';
import { createSession, findSessionByToken } from '../db/queries/sessions.ts';
import { updateUserRow } from '../db/queries/users.ts';
import { actions } from '../domain/actions.ts';
import { loadConfig } from '../env.ts';
import { createCaller } from '../router.ts';
import type { Services } from '../services.ts';
import { createServices } from '../services.ts';
import { insertAccount } from '../usecases/accounts.ts';
import { insertPredictionWithAuditRow } from '../usecases/predictions.ts';
import type { TestDb } from './db.ts';

export const TEST_PASSWORD = 'correct-horse-battery';

export function testServices(testDb: TestDb, env: Record<string, string> = {}): Services {
  return createServices(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env }), testDb.handle);
}

export type Actor = {
  user: { id: number; username: string; role: Role };
  token: string;
  ctx: Context;
  caller: ReturnType<typeof createCaller>;
};

/** Registers a user (optionally an admin) with a live session and a caller acting as them. */
export async function createActor(services: Services, username: string, role: Role = 'user'): Promise<Actor> {
  const user = await insertAccount(
    services.db,
    { username, password: TEST_PASSWORD, role: 'user', action: actions.register },
    services.config.bcryptCost,
  );
  if (role === 'admin') await updateUserRow(services.db, user.id, { role: 'admin' });
  const { token } = await createSession(services.db, user.id);
  const session = await findSessionByToken(services.db, token);
  const ctx = await createContextInner(services, { session, token });
  return { user: { id: user.id, username: user.username, role }, token, ctx, caller: createCaller(ctx) };
}

export async function anonymousCaller(services: Services) {
  return createCaller(await createContextInner(services));
}

/** Signed-in users created in the given order: `{ owner: 'scope_owner', admin: ['scope_admin', 'admin'] }`. */
export async function createActors<K extends string>(
  services: Services,
  users: Record<K, string | [username: string, role: Role]>,
): Promise<Record<K, Actor>> {
  const actors = {} as Record<K, Actor>;
  for (const [key, user] of Object.entries(users) as [K, string | [string, Role]][]) {
    actors[key] =
      typeof user === 'string' ? await createActor(services, user) : await createActor(services, ...user);
  }
  return actors;
}

/** A stored 1-day naive forecast of `owner` with no points, made without running a model. */
export async function storeForecast(
  db: Database,
  owner: Actor['user'],
  values: { note?: string | null; action?: string } = {},
): Promise<PredictionRow> {
  return insertPredictionWithAuditRow(
    db,
    {
      userId: owner.id,
      username: owner.username,
      symbol: 'ETH-USD',
      model: 'naive',
      modelVersion: '1',
      days: 1,
      dataThrough: '2026-01-01',
      note: values.note ?? null,
      summary: 'x',
      points: [],
    },
    values.action ?? 'predict success',
  );
}

/** 'ok', or the tRPC code a call failed with: `expect(await codeOf(caller.users.byId(...))).toBe('NOT_FOUND')`. */
export const codeOf = (promise: Promise<unknown>): Promise<string> =>
  promise.then(
    () => 'ok',
    (error: unknown) => (error instanceof TRPCError ? error.code : `unexpected: ${String(error)}`),
  );
