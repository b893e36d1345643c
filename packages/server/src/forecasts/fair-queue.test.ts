import { afterEach, describe, expect, it, vi } from 'vitest';
import { FairQueue, KeyLimitError, QueueFullError } from './fair-queue.ts';

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((res) => {
    resolve = res;
  });
  return { promise, resolve };
};
const tick = () => new Promise((r) => setImmediate(r));

/**
 * Tasks that record their start in `started` and then hold their slot until `finish(name)` lets
 * them return their name.
 */
const gatedTasks = () => {
  const started: string[] = [];
  const gates = new Map<string, ReturnType<typeof deferred>>();
  const task = (name: string) => async () => {
    started.push(name);
    const gate = deferred();
    gates.set(name, gate);
    await gate.promise;
    return name;
  };
  const finish = async (name: string) => {
    gates.get(name)?.resolve();
    await tick();
  };
  return { started, task, finish };
};

describe('FairQueue', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('never runs more than `slots` tasks, and a free slot goes to the next user in turn, not the next arrival', async () => {
    const queue = new FairQueue({ slots: 1, maxQueued: 100, perKey: 100 });
    const { started, task, finish } = gatedTasks();
    // a floods first, then b and c ask once each
    const runs = [
      queue.run('a', task('a1')),
      queue.run('a', task('a2')),
      queue.run('a', task('a3')),
      queue.run('a', task('a4')),
      queue.run('b', task('b1')),
      queue.run('c', task('c1')),
      queue.run('b', task('b2')),
    ];
    await tick();
    expect(started).toEqual(['a1']);
    expect(queue.running).toBe(1);
    expect(queue.queued).toBe(6);
    for (const name of ['a1', 'b1', 'c1', 'a2', 'b2', 'a3']) await finish(name);
    // round-robin over the users with waiting work: a, b, c, a, b, a, a
    expect(started).toEqual(['a1', 'b1', 'c1', 'a2', 'b2', 'a3', 'a4']);
    await finish('a4');
    expect((await Promise.all(runs)).sort()).toEqual(['a1', 'a2', 'a3', 'a4', 'b1', 'b2', 'c1']);
    expect(queue.running).toBe(0);
    expect(queue.queued).toBe(0);
  });

  it("refuses a user's excess at once without taking anyone else's place", async () => {
    const queue = new FairQueue({ slots: 2, maxQueued: 1000, perKey: 3 });
    const gate = deferred();
    const flood = Array.from({ length: 50 }, () =>
      queue
        .run('flooder', () => gate.promise)
        .then(
          () => 'ok',
          (error: unknown) => (error instanceof KeyLimitError ? `refused ${error.limit}` : String(error)),
        ),
    );
    await tick();
    expect(queue.pending('flooder')).toBe(3);
    // one key holds at most all slots but one: the flooder runs one task, two wait
    expect(queue.running).toBe(1);
    expect(queue.queued).toBe(2);
    // so another user starts at once, on the slot the flooder may not take
    let otherStarted = false;
    const other = queue.run('other', async () => {
      otherStarted = true;
      return 'other ok';
    });
    await tick();
    expect(otherStarted).toBe(true);
    gate.resolve();
    expect(await other).toBe('other ok');
    const outcomes = await Promise.all(flood);
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(3);
    expect(outcomes.filter((o) => o === 'refused 3')).toHaveLength(47);
    expect(queue.pending('flooder')).toBe(0);
  });

  it('refuses beyond the whole queue bound, and gives the slot back when a task fails', async () => {
    const queue = new FairQueue({ slots: 1, maxQueued: 1, perKey: 10 });
    const gate = deferred();
    const first = queue.run('a', () => gate.promise);
    const second = queue.run('b', async () => 'second');
    await expect(queue.run('c', async () => 'third')).rejects.toBeInstanceOf(QueueFullError);
    gate.resolve();
    await first;
    expect(await second).toBe('second');
    await expect(
      queue.run('a', async () => {
        throw new Error('model broke');
      }),
    ).rejects.toThrow('model broke');
    expect(await queue.run('a', async () => 'after')).toBe('after');
    expect(queue.running).toBe(0);
    expect(queue.pending('a')).toBe(0);
  });

  it("a user with creates queued behind each other takes only the slots single users leave over: its next task does not start while a single user's task runs", async () => {
    const queue = new FairQueue({ slots: 2, maxQueued: 100, perKey: 4 });
    const { started, task, finish } = gatedTasks();
    const runs = ['a1', 'a2', 'a3', 'a4'].map((name) => queue.run('a', task(name)));
    await tick();
    expect(started).toEqual(['a1']);
    // b waits for each answer before asking again: it starts at once, on the free slot
    runs.push(queue.run('b', task('b1')));
    await tick();
    expect(started).toEqual(['a1', 'b1']);
    // a1 ends: a slot is free, but a's next waits until b's create ends
    await finish('a1');
    expect(started).toEqual(['a1', 'b1']);
    expect(queue.running).toBe(1);
    expect(queue.queued).toBe(3);
    await finish('b1');
    expect(started).toEqual(['a1', 'b1', 'a2']);
    // b's next starts at once beside a2 (a single user never waits for a bulk one), a3 waits for it
    runs.push(queue.run('b', task('b2')));
    await tick();
    await finish('a2');
    expect(started).toEqual(['a1', 'b1', 'a2', 'b2']);
    await finish('b2');
    expect(started).toEqual(['a1', 'b1', 'a2', 'b2', 'a3']);
    // with one task left, a is a single user again: a4 is its only one
    await finish('a3');
    await finish('a4');
    expect((await Promise.all(runs)).sort()).toEqual(['a1', 'a2', 'a3', 'a4', 'b1', 'b2']);
    expect(queue.running).toBe(0);
    expect(queue.queued).toBe(0);
  });

  it('bulk work is not starved by single users in turn: after `maxPassedOver` of them went ahead, it takes a free slot beside them', async () => {
    const queue = new FairQueue({ slots: 2, maxQueued: 100, perKey: 4, maxPassedOver: 2 });
    const { started, task, finish } = gatedTasks();
    const runs = ['a1', 'a2', 'a3'].map((name) => queue.run('a', task(name)));
    runs.push(queue.run('b', task('b1')));
    await tick();
    expect(started).toEqual(['a1', 'b1']);
    await finish('a1');
    // c starts on the free slot, ahead of a2: the second single task a2 let go first
    runs.push(queue.run('c', task('c1')));
    await tick();
    expect(started).toEqual(['a1', 'b1', 'c1']);
    await finish('b1');
    // c1 is a single user's and still runs, but a2 was passed over twice: it takes the free slot
    expect(started).toEqual(['a1', 'b1', 'c1', 'a2']);
    await finish('c1');
    await finish('a2');
    await finish('a3');
    expect((await Promise.all(runs)).sort()).toEqual(['a1', 'a2', 'a3', 'b1', 'c1']);
  });

  it("with a grace, bulk work does not start in the gap after a single user's task either, but a timer starts it once the gap ends", async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const queue = new FairQueue({ slots: 2, maxQueued: 100, perKey: 4, singleGraceMs: 100 });
    const { started, task, finish } = gatedTasks();
    const runs = ['a1', 'a2', 'a3'].map((name) => queue.run('a', task(name)));
    runs.push(queue.run('b', task('b1')));
    await tick();
    await finish('a1');
    await finish('b1');
    // b1 ended, but within the grace a2 still waits: b's next request may come
    vi.advanceTimersByTime(99);
    await tick();
    expect(started).toEqual(['a1', 'b1']);
    // it does: b2 starts at once, and a new grace follows it
    runs.push(queue.run('b', task('b2')));
    await tick();
    await finish('b2');
    vi.advanceTimersByTime(99);
    await tick();
    expect(started).toEqual(['a1', 'b1', 'b2']);
    // b is quiet: once the grace ends, a2 starts
    vi.advanceTimersByTime(1);
    await tick();
    expect(started).toEqual(['a1', 'b1', 'b2', 'a2']);
    await finish('a2');
    await finish('a3');
    expect((await Promise.all(runs)).sort()).toEqual(['a1', 'a2', 'a3', 'b1', 'b2']);
  });

  it('rejects nonsense bounds', () => {
    expect(() => new FairQueue({ slots: 0, maxQueued: 1, perKey: 1 })).toThrow(RangeError);
    expect(() => new FairQueue({ slots: 1.5, maxQueued: 1, perKey: 1 })).toThrow(RangeError);
    expect(() => new FairQueue({ slots: 1, maxQueued: -1, perKey: 1 })).toThrow(RangeError);
    expect(() => new FairQueue({ slots: 1, maxQueued: 1, perKey: 0 })).toThrow(RangeError);
    expect(() => new FairQueue({ slots: 2, maxQueued: 1, perKey: 1, perKeyRunning: 3 })).toThrow(RangeError);
    expect(() => new FairQueue({ slots: 2, maxQueued: 1, perKey: 1, maxPassedOver: -1 })).toThrow(RangeError);
    expect(() => new FairQueue({ slots: 2, maxQueued: 1, perKey: 1, singleGraceMs: -1 })).toThrow(RangeError);
  });
});
