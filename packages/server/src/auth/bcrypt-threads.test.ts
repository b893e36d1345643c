import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { legacyUsers } from '../test/legacy-db.ts';
import { BcryptThreads, QueueFullError, ThreadError } from './bcrypt-threads.ts';
import { PasswordWork } from './password-work.ts';

/** nice value of every thread of this process (Linux: /proc/self/task/<tid>/stat field 19). */
function threadNiceValues(): Map<number, number> {
  const out = new Map<number, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      // fields after the command name, which is in parentheses and may hold spaces
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(tid), Number(fields[16]));
    } catch {
      // the thread ended while being read
    }
  }
  return out;
}

const open: BcryptThreads[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.close()));
});
const threads = (n: number, nice: number) => {
  const t = new BcryptThreads(n, nice);
  open.push(t);
  return t;
};

describe('bcrypt threads', () => {
  it('hash and verify on worker threads, including the legacy backend’s Python-made $2b$ hashes', async () => {
    const pool = threads(2, 10);
    const h = await pool.hash('correct horse', 4);
    expect(h).toMatch(/^\$2[aby]\$04\$/);
    expect(await pool.verify('correct horse', h)).toBe(true);
    expect(await pool.verify('wrong horse', h)).toBe(false);
    const joao = legacyUsers[0];
    expect(await pool.verify(joao.password, joao.hash)).toBe(true);
    expect(await pool.verify('senha-errada', joao.hash)).toBe(false);
  });

  it('a malformed hash is a wrong password, not an error', async () => {
    const pool = threads(1, 10);
    expect(await pool.verify('x', 'not-a-bcrypt-hash')).toBe(false);
    expect(await pool.verify('x', '')).toBe(false);
  });

  it('runs many tasks at once, each answer going to its own task', async () => {
    const pool = threads(2, 10);
    const before = new Set(threadNiceValues().keys());
    const passwords = Array.from({ length: 8 }, (_, i) => `password-${i}`);
    const hashes = await Promise.all(passwords.map((pw) => pool.hash(pw, 4)));
    const checks = await Promise.all(
      passwords.flatMap((pw, i) => [
        pool.verify(pw, hashes[i] ?? ''),
        pool.verify(`${pw}!`, hashes[i] ?? ''),
      ]),
    );
    expect(checks).toEqual(passwords.flatMap(() => [true, false]));
    const added = [...threadNiceValues()].filter(([tid]) => !before.has(tid));
    // a worker thread brings a few helper threads of its own (V8 platform, libuv), all at its nice value
    expect(added.length).toBeGreaterThan(0);
  });

  it.runIf(process.platform === 'linux')(
    'the bcrypt threads run at the asked nice value and the event loop keeps its own',
    async () => {
      const mainNice = threadNiceValues().get(process.pid) ?? 0;
      const before = new Set(threadNiceValues().keys());
      const pool = threads(2, 13);
      await Promise.all([pool.hash('a-password', 4), pool.hash('b-password', 4)]);
      const after = threadNiceValues();
      const added = [...after].filter(([tid]) => !before.has(tid)).map(([, nice]) => nice);
      // relative to the event loop's priority (this test may itself run under `nice`)
      expect(added).toContain(Math.min(19, mainNice + 13));
      expect(after.get(process.pid)).toBe(mainNice);
    },
  );

  it('close() refuses the tasks still running and every later one, as a thread error', async () => {
    const pool = threads(1, 10);
    const running = pool.hash('slow-password', 12);
    const refused = expect(running).rejects.toBeInstanceOf(ThreadError);
    await pool.close();
    await refused;
    await expect(pool.verify('x', legacyUsers[0].hash)).rejects.toBeInstanceOf(ThreadError);
  });

  it('past its threads and its queue a task is refused at once, and the others still finish', async () => {
    const pool = new BcryptThreads(1, 10, 1);
    open.push(pool);
    const tasks = Array.from({ length: 4 }, (_, i) =>
      pool.hash(`queued-${i}`, 4).then(
        (hash) => (hash.startsWith('$2') ? 'hashed' : hash),
        (error: unknown) => (error instanceof QueueFullError ? 'refused' : String(error)),
      ),
    );
    const outcomes = await Promise.all(tasks);
    expect(outcomes.filter((o) => o === 'hashed')).toHaveLength(2);
    expect(outcomes.filter((o) => o === 'refused')).toHaveLength(2);
    // once the queue has drained, the pool takes work again
    expect(await pool.verify('queued-0', await pool.hash('queued-0', 4))).toBe(true);
  });

  it('refuses a bad configuration', () => {
    expect(() => new BcryptThreads(0, 10)).toThrow(RangeError);
    expect(() => new BcryptThreads(1, 20)).toThrow(RangeError);
    expect(() => new BcryptThreads(1, -1)).toThrow(RangeError);
    expect(() => new BcryptThreads(1, 10, -1)).toThrow(RangeError);
  });
});

describe('PasswordWork on bcrypt threads', () => {
  it('an unknown user (no hash) is checked against a hash of the same cost and fails', async () => {
    const work = new PasswordWork(4, { concurrency: 1 });
    try {
      expect(await work.verify('anything-at-all', null)).toBe(false);
      const h = await work.hash('anything-at-all');
      expect(await work.verify('anything-at-all', h)).toBe(true);
    } finally {
      await work.close();
    }
  });
});
