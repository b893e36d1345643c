import { registerUser } from '../auth/accounts.ts';
import type { Context, Role, Services } from '../context.ts';
import { createContextInner } from '../context.ts';
import { createSession, findSessionByToken } from '../db/queries/sessions.ts';
import { updateUserRow } from '../db/queries/users.ts';
import { loadConfig } from '../env.ts';
import { createCaller } from '../router.ts';
import { createServices } from '../server.ts';
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
  const user = await registerUser(
    services.db,
    { username, password: TEST_PASSWORD },
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
