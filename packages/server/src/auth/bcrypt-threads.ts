import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';

/** The task file: beside this module, and beside `dist/main.js` in the production bundle (build.mjs). */
const WORKER_FILE = fileURLToPath(new URL('./bcrypt-worker.cjs', import.meta.url));

type Task = { op: 'hash'; password: string; cost: number } | { op: 'verify'; password: string; hash: string };

/**
 * bcrypt on a pool of worker threads (piscina) at a lower CPU priority than the event loop (`nice` more,
 * 0–19: piscina's `niceIncrement`; on Linux a thread's own), so that while logins keep every core busy the
 * event loop still runs as soon as a request arrives: reads stay fast during a login storm, and bcrypt gets
 * the cycles the event loop leaves (the measured trade-off: "Fair under load" in docs/benchmarks.md).
 * At most `threads` tasks run at once and `maxQueued` wait; beyond that a task is refused at once
 * (`QueueFullError`). Threads start on first use and end after a minute idle.
 */
export class BcryptThreads {
  private readonly pool: Piscina<Task, string | boolean>;
  private closed = false;

  constructor(
    readonly threads: number,
    readonly nice: number,
    readonly maxQueued = 16 * threads,
  ) {
    if (!Number.isInteger(threads) || threads < 1) throw new RangeError('threads must be a positive integer');
    if (!Number.isInteger(nice) || nice < 0 || nice > 19) throw new RangeError('nice must be 0 to 19');
    if (!Number.isInteger(maxQueued) || maxQueued < 0) {
      throw new RangeError('maxQueued must be a non-negative integer');
    }
    this.pool = new Piscina({
      filename: WORKER_FILE,
      minThreads: 0,
      maxThreads: threads,
      // piscina refuses every task when maxQueue is 0 and no thread is idle, as asked
      maxQueue: maxQueued,
      idleTimeout: 60_000,
      niceIncrement: nice,
    });
  }

  hash(password: string, cost: number): Promise<string> {
    return this.run({ op: 'hash', password, cost }) as Promise<string>;
  }

  /** false for a malformed hash, as verifyPassword answers */
  async verify(password: string, hash: string): Promise<boolean> {
    return (await this.run({ op: 'verify', password, hash })) === true;
  }

  /** Ends the threads; tasks still running or waiting are refused (ThreadError), and so is every later one. */
  async close(): Promise<void> {
    this.closed = true;
    await this.pool.destroy();
  }

  private async run(task: Task): Promise<string | boolean> {
    if (this.closed) throw new ThreadError('the server is shutting down');
    try {
      return await this.pool.run(task);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (/^(Task queue is at limit|No task queue available)/.test(message)) {
        throw new QueueFullError(`${this.pool.queueSize} tasks are already waiting`);
      }
      // a verify never fails in the worker (a malformed hash is false): what is left is the pool's
      if (this.closed || task.op === 'verify' || message === 'Terminating worker thread') {
        throw new ThreadError(
          this.closed ? 'the server is shutting down' : `a bcrypt thread stopped: ${message}`,
        );
      }
      throw error;
    }
  }
}

/** The thread running a task is gone (shutdown or a crash): not a wrong password. */
export class ThreadError extends Error {
  override name = 'BcryptThreadError';
}

/** Every thread is busy and `maxQueued` tasks already wait: the caller answers "busy, try again". */
export class QueueFullError extends Error {
  override name = 'BcryptQueueFullError';
}
