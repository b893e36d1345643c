import { TRPCError } from '@trpc/server';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createDb, type DbHandle } from '../db/client.ts';
import { loginAttempts } from '../db/schema.ts';
import { loginPolicy } from '../domain/login-policy.ts';
import type { Services } from '../services.ts';
import { createActor, TEST_PASSWORD } from '../test/actors.ts';
import { type TestDb, testEngine } from '../test/db.ts';
import { useTestDb } from '../test/fixtures.ts';
import { loginUser } from '../usecases/login.ts';
import { PasswordWork } from './password-work.ts';

const outcome = (promise: Promise<{ kind: string }>) =>
  promise.then(
    (r) => r.kind,
    (error: unknown) =>
      error instanceof TRPCError ? error.code : ((error as { reason?: string }).reason ?? String(error)),
  );

/**
 * A bcrypt queue whose checks wait for `open()` before entering the queue: a test can hold logins
 * between their slot reservation and their bcrypt check.
 */
class GatedPasswordWork extends PasswordWork {
  entered = 0;
  private release!: () => void;
  private readonly gate = new Promise<void>((resolve) => {
    this.release = resolve;
  });
  private readonly waiters: (() => void)[] = [];
  open() {
    this.release();
  }
  /** resolves once `n` checks are waiting at the gate */
  reached(n: number) {
    return new Promise<void>((resolve) => {
      const check = () => (this.entered >= n ? resolve() : this.waiters.push(check));
      check();
    });
  }
  override async verify(password: string, passwordHash: string | null) {
    this.entered++;
    for (const waiter of this.waiters.splice(0)) waiter();
    await this.gate;
    return super.verify(password, passwordHash);
  }
}

describe(`login limits (${testEngine})`, () => {
  let testDb: TestDb;
  let services: Services;
  useTestDb(
    (fresh, db) => {
      services = fresh;
      testDb = db;
    },
    { per: 'test' },
  );

  const login = (
    username: string,
    password: string,
    clientIp: string | null,
    now = new Date(),
    work = services.passwords,
  ) => loginUser(services.db, work, { username, password, clientIp }, now);

  it('holds no database connection while bcrypt runs', async () => {
    await createActor(services, 'patient');
    // a pool of one connection on PostgreSQL (PGlite has only one anyway)
    const single: DbHandle | null = testDb.url ? await createDb({ url: testDb.url, max: 1 }) : null;
    const db = single ? single.db : services.db;
    try {
      const work = new GatedPasswordWork(services.config.bcryptCost);
      const pending = loginUser(db, work, {
        username: 'patient',
        password: TEST_PASSWORD,
        clientIp: '10.0.0.1',
      });
      let finished = false;
      void pending.then(() => {
        finished = true;
      });
      await work.reached(1);
      // the login sits in its bcrypt step: the only connection must be free for other requests
      const rows = await db.select().from(loginAttempts);
      expect(rows).toHaveLength(1);
      expect(rows[0]?.outcome).toBe('pending');
      expect(finished).toBe(false);
      work.open();
      expect((await pending).kind).toBe('ok');
      expect(await db.select().from(loginAttempts)).toHaveLength(0);
    } finally {
      await single?.close();
    }
  });

  it('20 concurrent wrong passwords from one client: exactly 5 are checked, 15 refused', async () => {
    await createActor(services, 'racer');
    const work = new GatedPasswordWork(services.config.bcryptCost);
    const attempts = Array.from({ length: 20 }, (_, i) =>
      outcome(login('racer', `wrong-password-${i}`, '10.0.0.2', new Date(), work)),
    );
    await work.reached(5);
    work.open();
    const outcomes = await Promise.all(attempts);
    expect(outcomes.filter((o) => o === 'invalid')).toHaveLength(5);
    expect(outcomes.filter((o) => o === 'locked')).toHaveLength(15);
    expect(work.entered).toBe(5);
  });

  it('20 concurrent correct passwords from one client: all 20 sign in', async () => {
    await createActor(services, 'crowd');
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, () => outcome(login('crowd', TEST_PASSWORD, '10.0.0.4'))),
    );
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(20);
    expect(await services.db.select().from(loginAttempts)).toHaveLength(0);
  });

  it('attempts waiting behind pending ones are locked only once those are known failures', async () => {
    await createActor(services, 'mixed');
    const work = new GatedPasswordWork(services.config.bcryptCost);
    // five wrong guesses take the five slots and sit before bcrypt
    const wrong = Array.from({ length: 5 }, (_, i) =>
      outcome(login('mixed', `wrong-password-${i}`, '10.0.0.5', new Date(), work)),
    );
    await work.reached(5);
    // the right password now: it may not take a sixth guess while the five are undecided
    const right = outcome(login('mixed', TEST_PASSWORD, '10.0.0.5', new Date(), work));
    work.open();
    expect(await Promise.all(wrong)).toEqual(Array(5).fill('invalid'));
    expect(await right).toBe('locked');
    expect(work.entered).toBe(5);
  });

  it('an attempt waits for a pending one that succeeds instead of being locked', async () => {
    await createActor(services, 'patient_crowd');
    const work = new GatedPasswordWork(services.config.bcryptCost);
    for (let i = 0; i < 4; i++) {
      expect((await login('patient_crowd', 'bad-password', '10.0.0.6')).kind).toBe('invalid');
    }
    // four known failures, one slot left: the owner's right password takes it and sits before bcrypt
    const first = outcome(login('patient_crowd', TEST_PASSWORD, '10.0.0.6', new Date(), work));
    await work.reached(1);
    const second = outcome(login('patient_crowd', TEST_PASSWORD, '10.0.0.6', new Date(), work));
    work.open();
    expect(await first).toBe('ok');
    // the success forgot the failures: the waiting attempt is checked, not locked out
    expect(await second).toBe('ok');
  });

  it('a burst from one client does not lock the owner out from another', async () => {
    await createActor(services, 'owner');
    for (let i = 0; i < 5; i++)
      expect((await login('owner', 'bad-password', '203.0.113.9')).kind).toBe('invalid');
    const attacker = await login('owner', TEST_PASSWORD, '203.0.113.9');
    expect(attacker).toMatchObject({ kind: 'locked', scope: 'pair' });
    expect((await login('owner', TEST_PASSWORD, '198.51.100.7')).kind).toBe('ok');
    // the lockout of that client ends 15 minutes after its oldest counted failure
    const later = new Date(Date.now() + loginPolicy.perPair.windowMs + 1000);
    expect((await login('owner', TEST_PASSWORD, '203.0.113.9', later)).kind).toBe('ok');
  });

  it('beyond the account ceiling, unknown clients back off and known clients still sign in', async () => {
    const owner = await createActor(services, 'popular');
    const t0 = new Date();
    expect((await login('popular', TEST_PASSWORD, '198.51.100.1', t0)).kind).toBe('ok');
    const at = (ms: number) => new Date(t0.getTime() + ms);
    // 50 failures from 10 clients (5 each, under the per-client limit) within the window
    for (let c = 0; c < 10; c++) {
      for (let i = 0; i < 5; i++) {
        expect((await login('popular', 'bad-password', `192.0.2.${c}`, at(c * 10 + i))).kind).toBe('invalid');
      }
    }
    const fresh = await login('popular', TEST_PASSWORD, '192.0.2.200', at(200));
    expect(fresh).toMatchObject({ kind: 'locked', scope: 'account' });
    // backoff: 2^(n − 50) s after the latest failure, so the 51st failure may come 1 s later
    expect((await login('popular', 'bad-password', '192.0.2.201', at(1200))).kind).toBe('invalid');
    const next = await login('popular', 'bad-password', '192.0.2.202', at(1300));
    expect(next).toMatchObject({ kind: 'locked', scope: 'account' });
    expect(next.kind === 'locked' && next.until.getTime()).toBe(at(1200).getTime() + 2000);
    // the owner's own client is known: it signs in through the ceiling
    expect((await login('popular', TEST_PASSWORD, '198.51.100.1', at(1300))).kind).toBe('ok');
    expect(owner.user.username).toBe('popular');
  });

  it('a password spray from one client is refused after 20 failures, for every username', async () => {
    for (let i = 0; i < loginPolicy.perClient.failures; i++) {
      expect((await login(`sprayed_${i}`, 'Winter2026!', '203.0.113.50')).kind).toBe('invalid');
    }
    expect(await login('sprayed_x', 'Winter2026!', '203.0.113.50')).toMatchObject({
      kind: 'locked',
      scope: 'client',
    });
    expect((await login('sprayed_x', 'Winter2026!', '203.0.113.51')).kind).toBe('invalid');
  });

  it('a full bcrypt queue answers SERVER_BUSY at once and the refused attempts do not count', async () => {
    await createActor(services, 'busy_user');
    const work = new GatedPasswordWork(services.config.bcryptCost, { concurrency: 1, maxQueued: 1 });
    const attempts = Array.from({ length: 4 }, () =>
      outcome(login('busy_user', 'bad-password', '10.0.0.3', new Date(), work)),
    );
    // all four wait before the queue, then enter it at once: one runs, one waits, two are refused
    await work.reached(4);
    work.open();
    const outcomes = await Promise.all(attempts);
    expect(outcomes.filter((o) => o === 'SERVER_BUSY')).toHaveLength(2);
    expect(outcomes.filter((o) => o === 'invalid')).toHaveLength(2);
    const counted = await services.db
      .select()
      .from(loginAttempts)
      .where(eq(loginAttempts.clientIp, '10.0.0.3'));
    expect(counted).toHaveLength(2);
  });
});
