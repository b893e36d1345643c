import { createRequire } from 'node:module';
import { getPriority } from 'node:os';
import { Worker } from 'node:worker_threads';

// The worker is plain CommonJS evaluated from this string, so it runs the same under tsx, vitest and the
// esbuild bundle (none of which would load a separate .ts worker file the same way).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { setPriority } = require('node:os');
// On Linux the nice value is per thread: this lowers this bcrypt thread only, never the event loop.
try { setPriority(0, workerData.nice); } catch {}
const bcrypt = require(workerData.bcryptPath);
parentPort.on('message', ({ id, op, password, hash, cost }) => {
  try {
    const value = op === 'hash' ? bcrypt.hashSync(password, cost) : bcrypt.verifySync(password, hash);
    parentPort.postMessage({ id, value });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.message ? error.message : error) });
  }
});
`;

type Reply = { id: number; value?: string | boolean; error?: string };
type Pending = { resolve: (value: string | boolean) => void; reject: (error: Error) => void };
type Thread = { worker: Worker; pending: Map<number, Pending> };

/**
 * bcrypt on worker threads of their own at a lower CPU priority than the event loop (`nice` more, 0–19), so
 * that while logins keep every core busy the event loop still runs as soon as a request arrives: reads
 * stay fast during a login storm, and bcrypt gets the cycles the event loop leaves (the measured
 * trade-off: "Fair under load" in docs/benchmarks.md). Callers bound the work in flight
 * (`PasswordWork`); a task goes to the thread with the fewest tasks.
 */
export class BcryptThreads {
  private readonly live: Thread[] = [];
  private nextId = 1;
  private closed = false;

  constructor(
    readonly threads: number,
    readonly nice: number,
  ) {
    if (!Number.isInteger(threads) || threads < 1) throw new RangeError('threads must be a positive integer');
    if (!Number.isInteger(nice) || nice < 0 || nice > 19) throw new RangeError('nice must be 0 to 19');
  }

  hash(password: string, cost: number): Promise<string> {
    return this.post({ op: 'hash', password, cost }) as Promise<string>;
  }

  /** false for a malformed hash, as verifyPassword answers */
  async verify(password: string, hash: string): Promise<boolean> {
    try {
      return (await this.post({ op: 'verify', password, hash })) === true;
    } catch (error) {
      if (error instanceof ThreadError) throw error;
      return false;
    }
  }

  /** Ends the threads; tasks still running are refused. */
  async close(): Promise<void> {
    this.closed = true;
    const threads = this.live.splice(0);
    for (const thread of threads) this.abandon(thread, new ThreadError('the server is shutting down'));
    await Promise.all(threads.map(({ worker }) => worker.terminate()));
  }

  private post(message: { op: 'hash' | 'verify'; password: string; hash?: string; cost?: number }) {
    if (this.closed) return Promise.reject(new ThreadError('the server is shutting down'));
    const thread = this.pick();
    const id = this.nextId++;
    return new Promise<string | boolean>((resolve, reject) => {
      thread.pending.set(id, { resolve, reject });
      thread.worker.postMessage({ id, ...message });
    });
  }

  /** An idle thread, a new one while fewer than `threads` run, else the least busy. */
  private pick(): Thread {
    const idle = this.live.find((t) => t.pending.size === 0);
    if (idle) return idle;
    if (this.live.length < this.threads) return this.spawn();
    return this.live.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
  }

  private spawn(): Thread {
    const bcryptPath = createRequire(import.meta.url).resolve('@node-rs/bcrypt');
    // `nice` is relative to the event loop's own priority (a server started under `nice` keeps the gap)
    const nice = Math.min(19, getPriority(0) + this.nice);
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { nice, bcryptPath } });
    // idle threads never keep the process alive; close() ends them on shutdown
    worker.unref();
    const thread: Thread = { worker, pending: new Map() };
    worker.on('message', (reply: Reply) => {
      const pending = thread.pending.get(reply.id);
      if (!pending) return;
      thread.pending.delete(reply.id);
      if (reply.error !== undefined) pending.reject(new Error(reply.error));
      else pending.resolve(reply.value as string | boolean);
    });
    worker.on('error', (error) => this.retire(thread, error));
    worker.on('exit', (code) => this.retire(thread, new Error(`exited with code ${code}`)));
    this.live.push(thread);
    return thread;
  }

  /** A thread died (it should not): its tasks fail, and later tasks start a new thread. */
  private retire(thread: Thread, cause: Error) {
    const index = this.live.indexOf(thread);
    if (index >= 0) this.live.splice(index, 1);
    this.abandon(thread, new ThreadError(`a bcrypt thread stopped: ${cause.message}`));
  }

  private abandon(thread: Thread, error: ThreadError) {
    for (const { reject } of thread.pending.values()) reject(error);
    thread.pending.clear();
  }
}

/** The thread running a task is gone (shutdown or a crash): not a wrong password. */
export class ThreadError extends Error {
  override name = 'BcryptThreadError';
}
