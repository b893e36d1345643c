import { eq, sql } from 'drizzle-orm';
import superjson from 'superjson';
import { describe, expect, it } from 'vitest';
import { listLogs } from '../db/queries/logs.ts';
import { findSessionByToken } from '../db/queries/sessions.ts';
import { logs, users } from '../db/schema.ts';
import type { Services } from '../services.ts';
import { anonymousCaller, codeOf, createActor, TEST_PASSWORD } from '../test/actors.ts';
import { testEngine } from '../test/db.ts';
import { useTestDb } from '../test/fixtures.ts';
import { loginUser } from '../usecases/login.ts';
import { verifyPassword } from './password.ts';
import { PasswordWork } from './password-work.ts';

// Made with Python: bcrypt 5.0 `hashpw(pw, gensalt(12))` ($2b$, $2a$) and passlib's bcrypt ($2y$).
// The passwords are test vectors, not anybody's real password.
const PYTHON_VECTORS = [
  { password: 'legacy-vector-1', hash: '$2b$12$Hv9Mwl/soolULnGfw99O2O3dMpBYPp6YFK7oNKIEasR1z9FMYM6sm' },
  { password: 'senha-çã-vector', hash: '$2a$12$4I6CkrNFocARoTXEud//mO.z4TpuiVtTGASYHBI2DsJyjXWM5gTTS' },
  { password: 'legacy-vector-2', hash: '$2y$10$MtZ5Du1aNofb8nlU89Rj9.SQ4Lmol9n06uVCgdvyvIGhmT96dyp/S' },
];

describe(`accounts (${testEngine})`, () => {
  let services: Services;
  useTestDb(
    (fresh) => {
      services = fresh;
    },
    { per: 'test' },
  );

  it.each(PYTHON_VECTORS)(
    'verifies a hash made by the legacy Python backend ($hash)',
    async ({ password, hash }) => {
      expect(await verifyPassword(password, hash)).toBe(true);
      expect(await verifyPassword(`${password}x`, hash)).toBe(false);
    },
  );

  it('lets a legacy user (Python $2b$12$ hash) log in and upgrades nothing it need not', async () => {
    const vector = PYTHON_VECTORS[0];
    if (!vector) throw new Error('no vector');
    await services.db.insert(users).values({ username: 'legacy_user', password: vector.hash });
    const result = await loginUser(services.db, new PasswordWork(12), {
      username: 'legacy_user',
      password: vector.password,
      clientIp: null,
    });
    expect(result.kind).toBe('ok');
  });

  it('20 concurrent registrations of one name: exactly 1 success and 19 CONFLICT', async () => {
    const anon = await anonymousCaller(services);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        codeOf(anon.users.register({ username: i % 2 ? 'RaceName' : 'racename', password: 'race-password' })),
      ),
    );
    expect(results.filter((r) => r === 'ok')).toHaveLength(1);
    expect(results.filter((r) => r === 'CONFLICT')).toHaveLength(19);
    const rows = await services.db.select().from(users).where(sql`lower(${users.username}) = 'racename'`);
    expect(rows).toHaveLength(1);
  });

  it('never returns a password hash or a token other than at login, in any output', async () => {
    const admin = await createActor(services, 'hash_admin', 'admin');
    const alice = await createActor(services, 'alice');
    const anon = await anonymousCaller(services);
    const outputs: unknown[] = [
      await anon.users.register({ username: 'dave', password: 'dave-password' }),
      await admin.caller.users.list({}),
      await admin.caller.users.byId({ id: alice.user.id }),
      await admin.caller.users.byUsername({ username: 'alice' }),
      await alice.caller.users.me(),
      await alice.caller.users.update({ id: alice.user.id, username: 'alice_renamed' }),
      await admin.caller.logs.list({}),
      await admin.caller.users.delete({ id: alice.user.id }),
    ];
    const hashes = (await services.db.select({ h: users.password }).from(users)).map((r) => r.h);
    const serialized = JSON.stringify(superjson.serialize(outputs));
    expect(serialized).not.toMatch(/\$2[abxy]\$/);
    for (const h of hashes) expect(serialized).not.toContain(h);
    expect(serialized).not.toContain(admin.token);
    expect(serialized).not.toMatch(/"password"/);
  });

  it('deleting a user removes their sessions but keeps their log rows, with user_id NULL', async () => {
    const admin = await createActor(services, 'del_admin', 'admin');
    const eve = await createActor(services, 'eve');
    await eve.caller.users.update({ id: eve.user.id, username: 'eve_2' });
    const before = await listLogs(services.db, eve.user, { limit: 100 });
    expect(before.items.length).toBeGreaterThanOrEqual(2);
    await admin.caller.users.delete({ id: eve.user.id });
    expect(await findSessionByToken(services.db, eve.token)).toBeNull();
    const kept = await services.db
      .select()
      .from(logs)
      .where(sql`${logs.id} in ${before.items.map((r) => r.id)}`);
    expect(kept).toHaveLength(before.items.length);
    expect(kept.every((row) => row.userId === null && row.usernameLog !== null)).toBe(true);
    const [deletion] = await services.db
      .select()
      .from(logs)
      .where(eq(logs.action, `user ${eve.user.id} deleted (eve_2)`));
    expect(deletion).toMatchObject({ userId: admin.user.id, usernameLog: 'del_admin' });
  });

  it('a failed transaction leaves neither the change nor its log row', async () => {
    const frank = await createActor(services, 'frank');
    const logCount = async () => (await services.db.select().from(logs)).length;
    const logsBefore = await logCount();
    // A real failure of the log insert, raised by the engine itself.
    await services.db.execute(sql`
      create function ethcast_test_fail_log() returns trigger language plpgsql as $$
      begin raise exception 'log insert refused by test'; end $$`);
    await services.db.execute(
      sql`create trigger ethcast_test_fail_log before insert on logs for each row execute function ethcast_test_fail_log()`,
    );
    try {
      const result = await codeOf(
        frank.caller.users.update({ id: frank.user.id, username: 'frank_renamed' }),
      );
      expect(result).toBe('INTERNAL_SERVER_ERROR');
      const anon = await anonymousCaller(services);
      expect(await codeOf(anon.users.register({ username: 'ghost', password: 'ghost-password' }))).toBe(
        'INTERNAL_SERVER_ERROR',
      );
    } finally {
      await services.db.execute(sql`drop trigger ethcast_test_fail_log on logs`);
      await services.db.execute(sql`drop function ethcast_test_fail_log()`);
    }
    const [row] = await services.db
      .select({ username: users.username })
      .from(users)
      .where(eq(users.id, frank.user.id));
    expect(row?.username).toBe('frank');
    expect(await services.db.select().from(users).where(eq(users.username, 'ghost'))).toHaveLength(0);
    expect(await logCount()).toBe(logsBefore);
  });

  it('the last admin can neither demote nor delete themself', async () => {
    const admin = await createActor(services, 'only_admin', 'admin');
    expect(await codeOf(admin.caller.users.update({ id: admin.user.id, role: 'user' }))).toBe(
      'PRECONDITION_FAILED',
    );
    expect(await codeOf(admin.caller.users.delete({ id: admin.user.id }))).toBe('PRECONDITION_FAILED');
    const second = await createActor(services, 'second_admin', 'admin');
    expect(await codeOf(admin.caller.users.update({ id: admin.user.id, role: 'user' }))).toBe('ok');
    expect(await codeOf(second.caller.users.delete({ id: second.user.id }))).toBe('PRECONDITION_FAILED');
  });

  it('a password change needs the current password and revokes the other sessions', async () => {
    const gina = await createActor(services, 'gina');
    const anon = await anonymousCaller(services);
    const other = await anon.users.login({ username: 'gina', password: TEST_PASSWORD });
    expect(await codeOf(gina.caller.users.update({ id: gina.user.id, password: 'brand-new-pass' }))).toBe(
      'BAD_REQUEST',
    );
    expect(
      await codeOf(
        gina.caller.users.update({
          id: gina.user.id,
          password: 'brand-new-pass',
          currentPassword: 'wrong-one',
        }),
      ),
    ).toBe('UNAUTHORIZED');
    await gina.caller.users.update({
      id: gina.user.id,
      password: 'brand-new-pass',
      currentPassword: TEST_PASSWORD,
    });
    expect(await findSessionByToken(services.db, other.token)).toBeNull();
    expect(await findSessionByToken(services.db, gina.token)).not.toBeNull();
    expect(await codeOf(anon.users.login({ username: 'gina', password: TEST_PASSWORD }))).toBe(
      'UNAUTHORIZED',
    );
    expect(await codeOf(anon.users.login({ username: 'gina', password: 'brand-new-pass' }))).toBe('ok');
  });

  it('usernames are unique case-insensitively, also on rename', async () => {
    const anon = await anonymousCaller(services);
    await anon.users.register({ username: 'Henry', password: 'henry-password' });
    expect(await codeOf(anon.users.register({ username: 'henry', password: 'henry-password' }))).toBe(
      'CONFLICT',
    );
    const ivan = await createActor(services, 'ivan');
    expect(await codeOf(ivan.caller.users.update({ id: ivan.user.id, username: 'HENRY' }))).toBe('CONFLICT');
  });

  it('throttles after 5 failures in 15 minutes, for unknown and known users alike, and logs them', async () => {
    await createActor(services, 'judy');
    const anon = await anonymousCaller(services);
    for (const name of ['judy', 'nobody_at_all']) {
      for (let i = 0; i < 5; i++) {
        expect(await codeOf(anon.users.login({ username: name, password: 'wrong-password' }))).toBe(
          'UNAUTHORIZED',
        );
      }
      expect(await codeOf(anon.users.login({ username: name, password: 'wrong-password' }))).toBe(
        'TOO_MANY_REQUESTS',
      );
    }
    // even the right password waits out the lockout
    expect(await codeOf(anon.users.login({ username: 'JUDY', password: TEST_PASSWORD }))).toBe(
      'TOO_MANY_REQUESTS',
    );
    // ... which ends 15 minutes later
    const later = new Date(Date.now() + 15 * 60 * 1000 + 1000);
    const afterLockout = await loginUser(
      services.db,
      services.passwords,
      { username: 'judy', password: TEST_PASSWORD, clientIp: null },
      later,
    );
    expect(afterLockout.kind).toBe('ok');
    const failures = await services.db.select().from(logs).where(eq(logs.action, 'login failed'));
    expect(failures).toHaveLength(10);
    const judyId = (
      await services.db.select({ id: users.id }).from(users).where(eq(users.username, 'judy'))
    )[0]?.id;
    expect(failures.filter((f) => f.userId === judyId)).toHaveLength(5);
    expect(failures.filter((f) => f.userId === null && f.usernameLog === 'nobody_at_all')).toHaveLength(5);
  });

  it('logout revokes exactly the current session', async () => {
    const kim = await createActor(services, 'kim');
    await kim.caller.users.logout();
    expect(await findSessionByToken(services.db, kim.token)).toBeNull();
    const [row] = await services.db.select().from(logs).where(eq(logs.action, 'logout'));
    expect(row?.userId).toBe(kim.user.id);
  });
});
