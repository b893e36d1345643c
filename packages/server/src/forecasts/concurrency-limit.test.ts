import { describe, expect, it } from 'vitest';
import { ConcurrencyLimit, QueueFullError } from './concurrency-limit.ts';

const deferred = () => {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};
const tick = () => new Promise((r) => setImmediate(r));

describe('ConcurrencyLimit', () => {
  it('never runs more than max tasks and starts the waiting ones in arrival order', async () => {
    const limit = new ConcurrencyLimit(2, 10);
    const gates = Array.from({ length: 5 }, deferred);
    const started: number[] = [];
    let running = 0;
    let peak = 0;
    const results = gates.map((gate, i) =>
      limit.run(async () => {
        started.push(i);
        running++;
        peak = Math.max(peak, running);
        await gate.promise;
        running--;
        return i * 10;
      }),
    );
    await tick();
    expect(started).toEqual([0, 1]);
    expect(limit.queued).toBe(3);
    gates[1]?.resolve();
    await tick();
    expect(started).toEqual([0, 1, 2]);
    for (const gate of gates) gate.resolve();
    expect(await Promise.all(results)).toEqual([0, 10, 20, 30, 40]);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(peak).toBe(2);
    expect(limit.running).toBe(0);
    expect(limit.queued).toBe(0);
  });

  it('releases the slot when a task fails, and passes the error on', async () => {
    const limit = new ConcurrencyLimit(1, 10);
    const failing = limit.run(async () => {
      throw new Error('model broke');
    });
    const next = limit.run(async () => 'ran');
    await expect(failing).rejects.toThrow('model broke');
    expect(await next).toBe('ran');
    expect(limit.running).toBe(0);
  });

  it('refuses work beyond the queue bound without disturbing queued tasks', async () => {
    const limit = new ConcurrencyLimit(1, 1);
    const gate = deferred();
    const first = limit.run(() => gate.promise);
    const second = limit.run(async () => 'second');
    await expect(limit.run(async () => 'third')).rejects.toBeInstanceOf(QueueFullError);
    gate.resolve();
    await first;
    expect(await second).toBe('second');
  });

  it('rejects nonsense bounds', () => {
    expect(() => new ConcurrencyLimit(0, 1)).toThrow(RangeError);
    expect(() => new ConcurrencyLimit(1.5, 1)).toThrow(RangeError);
    expect(() => new ConcurrencyLimit(1, -1)).toThrow(RangeError);
  });
});
