import { TRPCError } from '@trpc/server';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { writeLog } from '../db/queries/logs.ts';
import type { Services } from '../services.ts';
import { type Actor, anonymousCaller, createActor, TEST_PASSWORD, testServices } from '../test/actors.ts';
import { createTestDb, type TestDb, testEngine } from '../test/db.ts';

// Another user's rows answer NOT_FOUND, as a missing id does; FORBIDDEN is for what the caller sees
// but may not do.
type Outcome = 'ok' | 'UNAUTHORIZED' | 'FORBIDDEN' | 'NOT_FOUND';
type Who = 'anonymous' | 'userA' | 'userB' | 'admin';

async function outcome(run: () => Promise<unknown>): Promise<Outcome | string> {
  try {
    await run();
    return 'ok';
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
}

describe(`authorization of users.* and logs.* (${testEngine})`, () => {
  let testDb: TestDb;
  let services: Services;
  let actors: Record<Exclude<Who, 'anonymous'>, Actor>;
  let callers: Record<Who, Actor['caller']>;
  let logOfA: number;

  beforeEach(async () => {
    testDb ??= await createTestDb();
    await testDb.reset();
    services = testServices(testDb);
    actors = {
      userA: await createActor(services, 'alice'),
      userB: await createActor(services, 'bob'),
      admin: await createActor(services, 'root_admin', 'admin'),
    };
    // a second admin so "admin deletes/demotes" is not blocked by the last-admin rule
    await createActor(services, 'second_admin', 'admin');
    callers = {
      anonymous: await anonymousCaller(services),
      userA: actors.userA.caller,
      userB: actors.userB.caller,
      admin: actors.admin.caller,
    };
    logOfA = (
      await writeLog(services.db, { userId: actors.userA.user.id, username: 'alice', action: 'test entry' })
    ).id;
  });
  afterAll(() => testDb?.close());

  // The usual outcomes: anyone signed in; A and the admin (B is not told that A's rows exist); the admin.
  const signedIn: Record<Who, Outcome> = { anonymous: 'UNAUTHORIZED', userA: 'ok', userB: 'ok', admin: 'ok' };
  const ownerOrAdmin: Record<Who, Outcome> = { ...signedIn, userB: 'NOT_FOUND' };
  const adminOnly: Record<Who, Outcome> = { ...signedIn, userA: 'FORBIDDEN', userB: 'FORBIDDEN' };

  // Each case acts on user A's account or data; expected outcome per caller.
  const cases: [string, (c: Actor['caller']) => Promise<unknown>, Record<Who, Outcome>][] = [
    ['users.me', (c) => c.users.me(), signedIn],
    ['users.list', (c) => c.users.list({}), adminOnly],
    ['users.byId(A)', (c) => c.users.byId({ id: actors.userA.user.id }), ownerOrAdmin],
    ['users.byUsername(A)', (c) => c.users.byUsername({ username: 'ALICE' }), ownerOrAdmin],
    [
      'users.update(A, username)',
      (c) => c.users.update({ id: actors.userA.user.id, username: 'alice2' }),
      ownerOrAdmin,
    ],
    [
      'users.update(A, role)',
      (c) => c.users.update({ id: actors.userA.user.id, role: 'admin' }),
      { anonymous: 'UNAUTHORIZED', userA: 'FORBIDDEN', userB: 'NOT_FOUND', admin: 'ok' },
    ],
    [
      'users.update(A, password)',
      (c) =>
        c.users.update({
          id: actors.userA.user.id,
          password: 'new-password-1',
          currentPassword: TEST_PASSWORD,
        }),
      ownerOrAdmin,
    ],
    ['users.delete(A)', (c) => c.users.delete({ id: actors.userA.user.id }), ownerOrAdmin],
    ['users.logout', (c) => c.users.logout(), signedIn],
    ['logs.list', (c) => c.logs.list({}), signedIn],
    ['logs.list(userId A)', (c) => c.logs.list({ userId: actors.userA.user.id }), signedIn],
    ['logs.byId', (c) => c.logs.byId({ id: logOfA }), adminOnly],
    [
      'logs.update',
      (c) => c.logs.update({ id: logOfA, usernameLog: 'alice', action: 'edited entry' }),
      adminOnly,
    ],
    ['logs.delete', (c) => c.logs.delete({ id: logOfA }), adminOnly],
  ];

  for (const [name, run, expected] of cases) {
    for (const who of ['anonymous', 'userA', 'userB', 'admin'] as const) {
      it(`${name} as ${who} → ${expected[who]}`, async () => {
        expect(await outcome(() => run(callers[who]))).toBe(expected[who]);
      });
    }
  }

  it('public procedures work anonymously: register and login', async () => {
    const anon = callers.anonymous;
    const user = await anon.users.register({ username: 'carol', password: 'carol-password' });
    expect(user).toMatchObject({ username: 'carol', role: 'user' });
    const login = await anon.users.login({ username: 'CAROL', password: 'carol-password' });
    expect(login.user.id).toBe(user.id);
    expect(login.token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
  });

  it("asking for another user's log rows finds none, as for a user who has none", async () => {
    const page = await actors.userB.caller.logs.list({ userId: actors.userA.user.id });
    expect(page.items).toEqual([]);
    const all = await actors.admin.caller.logs.list({ userId: actors.userA.user.id });
    expect(all.items.map((row) => row.id)).toContain(logOfA);
  });

  it('a user sees only their own log rows', async () => {
    const page = await actors.userB.caller.logs.list({});
    expect(page.items.length).toBeGreaterThan(0);
    expect(page.items.every((row) => row.userId === actors.userB.user.id)).toBe(true);
  });

  it('lists each row with the event its text records, for screens to translate', async () => {
    await actors.admin.caller.logs.delete({ id: logOfA });
    const { items } = await actors.admin.caller.logs.list({});
    const deleted = items.find((row) => row.action === `log ${logOfA} deleted`);
    expect(deleted?.event).toEqual({ code: 'logDeleted', params: { id: logOfA } });
    const registered = items.find((row) => row.usernameLog === 'bob' && row.action === 'user registered');
    expect(registered?.event).toEqual({ code: 'register', params: {} });
    const custom = await writeLog(services.db, { userId: null, username: null, action: 'reviewed by hand' });
    const again = await actors.admin.caller.logs.list({});
    expect(again.items.find((row) => row.id === custom.id)?.event).toBeNull();
  });
});
