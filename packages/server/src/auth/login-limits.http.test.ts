import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActor, TEST_PASSWORD, testServices } from '../test/actors.ts';
import { createTestDb, testEngine } from '../test/db.ts';
import { postProcedure } from '../test/http-calls.ts';
import { startTestServer, type TestServer } from '../test/server.ts';
import { spawnServerProcess } from '../test/server-process.ts';

const login = (
  server: TestServer,
  username: string,
  password: string,
  headers: Record<string, string> = {},
) => postProcedure(server.url, 'users.login', { username, password }, headers);

describe(`login and registration limits over HTTP (${testEngine})`, () => {
  let server: TestServer;
  beforeAll(async () => {
    // one proxy hop in front: X-Forwarded-For's last address is the client
    server = await startTestServer({ TRUST_PROXY: '1' });
  });
  afterAll(() => server?.stop());
  const from = (ip: string) => ({ 'x-forwarded-for': ip });

  it('an IP spraying usernames gets 429 with Retry-After', async () => {
    const statuses: number[] = [];
    let refused: Awaited<ReturnType<typeof login>> | null = null;
    for (let i = 0; i < 25; i++) {
      const response = await login(server, `spray_target_${i}`, 'Summer2026!', from('203.0.113.10'));
      statuses.push(response.status);
      if (response.status === 429) refused ??= response;
    }
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(20).every((s) => s === 429)).toBe(true);
    expect(Number(refused?.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused?.text).toContain('LOGIN_LOCKED');
    expect(refused?.text).toContain('retryAfterSeconds');
    // another client is not affected
    expect((await login(server, 'spray_target_0', 'Summer2026!', from('203.0.113.11'))).status).toBe(401);
  });

  it('the owner still signs in from another IP while an attacker is locked out', async () => {
    await createActor(testServices(server.testDb), 'victim_owner', 'admin');
    for (let i = 0; i < 8; i++)
      await login(server, 'victim_owner', `guess-${i}-password`, from('198.51.100.66'));
    const attacker = await login(server, 'victim_owner', TEST_PASSWORD, from('198.51.100.66'));
    expect(attacker.status).toBe(429);
    expect(attacker.headers.get('retry-after')).toMatch(/^\d+$/);
    const owner = await login(server, 'victim_owner', TEST_PASSWORD, from('192.0.2.44'));
    expect(owner.status).toBe(200);
  });

  it('20 concurrent logins with the right password all succeed', async () => {
    // a bcrypt cost near production's, so that the logins really overlap
    const slower = await startTestServer({ TRUST_PROXY: '1', BCRYPT_COST: '10' });
    try {
      // registered through the server, so the hash already has its cost (no re-hash at sign-in)
      const registered = await postProcedure(slower.url, 'users.register', {
        username: 'busy_owner',
        password: TEST_PASSWORD,
      });
      expect(registered.status).toBe(200);
      const statuses = await Promise.all(
        Array.from({ length: 20 }, () =>
          login(slower, 'busy_owner', TEST_PASSWORD, from('192.0.2.80')).then((r) => r.status),
        ),
      );
      expect(statuses).toEqual(Array(20).fill(200));
    } finally {
      await slower.stop();
    }
  }, 60_000);

  it('registrations per IP are limited with Retry-After', async () => {
    const statuses: number[] = [];
    let refused: Awaited<ReturnType<typeof postProcedure>> | null = null;
    for (let i = 0; i < 22; i++) {
      const response = await postProcedure(
        server.url,
        'users.register',
        { username: `mass_${i}`, password: 'mass-password' },
        from('203.0.113.77'),
      );
      statuses.push(response.status);
      if (response.status === 429) refused ??= response;
    }
    expect(statuses.slice(0, 20).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(20)).toEqual([429, 429]);
    expect(Number(refused?.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused?.text).toContain('RATE_LIMITED');
    const elsewhere = await postProcedure(
      server.url,
      'users.register',
      { username: 'mass_other', password: 'mass-password' },
      from('203.0.113.78'),
    );
    expect(elsewhere.status).toBe(200);
  });
});

describe(`X-Forwarded-For without TRUST_PROXY (${testEngine})`, () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.stop());

  it('is ignored: a client cannot pick the address the limits count', async () => {
    await createActor(testServices(server.testDb), 'xff_owner');
    for (let i = 0; i < 5; i++) {
      const response = await login(server, 'xff_owner', 'wrong-password', {
        'x-forwarded-for': `10.9.9.${i}`,
      });
      expect(response.status).toBe(401);
    }
    const sixth = await login(server, 'xff_owner', TEST_PASSWORD, { 'x-forwarded-for': '10.9.9.99' });
    expect(sixth.status).toBe(429);
  });
});

describe.skipIf(testEngine !== 'postgres')(
  'concurrent logins across two server processes (PostgreSQL)',
  () => {
    it('20 concurrent logins for one account over two processes: 5 wrong ones checked, 20 right ones pass', async () => {
      const testDb = await createTestDb();
      const first = await startTestServer({ BCRYPT_COST: '10' }, { testDb });
      await createActor(testServices(testDb), 'two_process_target');
      const second = spawnServerProcess({ DATABASE_URL: testDb.url ?? '', BCRYPT_COST: '10' });
      try {
        const secondUrl = await second.ready;
        const urls = [first.url, secondUrl];
        const statuses = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            postProcedure(urls[i % 2] ?? first.url, 'users.login', {
              username: 'two_process_target',
              password: `wrong-${i}-password`,
            }).then((r) => r.status),
          ),
        );
        expect(statuses.filter((s) => s === 401)).toHaveLength(5);
        expect(statuses.filter((s) => s === 429)).toHaveLength(15);
        const registered = await postProcedure(first.url, 'users.register', {
          username: 'two_process_owner',
          password: TEST_PASSWORD,
        });
        expect(registered.status).toBe(200);
        const rightStatuses = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            postProcedure(urls[i % 2] ?? first.url, 'users.login', {
              username: 'two_process_owner',
              password: TEST_PASSWORD,
            }).then((r) => r.status),
          ),
        );
        expect(rightStatuses).toEqual(Array(20).fill(200));
      } finally {
        await second.stop();
        await first.stop();
        await testDb.close();
      }
    }, 120_000);
  },
);
