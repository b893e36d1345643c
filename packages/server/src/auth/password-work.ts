import { availableParallelism } from 'node:os';
import { DomainError } from '../domain/errors.ts';
import { DEFAULT_BCRYPT_NICE } from '../env.ts';
import { BcryptThreads, QueueFullError } from './bcrypt-threads.ts';

/** Seconds a client should wait when every bcrypt slot and queue place is taken. */
export const PASSWORD_BUSY_RETRY_AFTER_SECONDS = 1;

/**
 * bcrypt runs here: at most `concurrency` hashes at once (one per core by default: each takes a core
 * for its whole duration), up to `maxQueued` waiting, and beyond that TOO_MANY_REQUESTS at once, so a
 * login storm cannot queue without bound. The hashes run on threads of their own at a lower priority
 * than the event loop (`nice`); no database connection is held while one runs. The bound and the queue
 * are the thread pool's (`BcryptThreads`, piscina's `maxQueue`).
 */
export class PasswordWork {
  private readonly threads: BcryptThreads;
  private dummy: Promise<string> | null = null;

  constructor(
    readonly cost: number,
    {
      concurrency = availableParallelism(),
      nice = DEFAULT_BCRYPT_NICE,
      maxQueued = 16 * concurrency,
    }: { concurrency?: number; nice?: number; maxQueued?: number } = {},
  ) {
    this.threads = new BcryptThreads(concurrency, nice, maxQueued);
  }

  get concurrency(): number {
    return this.threads.threads;
  }

  hash(password: string): Promise<string> {
    return this.run(() => this.threads.hash(password, this.cost));
  }

  /**
   * Checks against `passwordHash`, or, when there is none (an unknown username), against a hash of the
   * same cost, so that unknown users and wrong passwords take about the same time. Never throws for a
   * malformed hash (false).
   */
  verify(password: string, passwordHash: string | null): Promise<boolean> {
    return this.run(async () => this.threads.verify(password, passwordHash ?? (await this.dummyHash())));
  }

  /** Ends the bcrypt threads (server shutdown). */
  close(): Promise<void> {
    return this.threads.close();
  }

  private dummyHash(): Promise<string> {
    this.dummy ??= this.threads.hash('ethcast-timing-equaliser', this.cost).catch((error: unknown) => {
      this.dummy = null;
      throw error;
    });
    return this.dummy;
  }

  private async run<T>(task: () => Promise<T>): Promise<T> {
    try {
      return await task();
    } catch (error) {
      if (error instanceof QueueFullError) {
        throw new DomainError('SERVER_BUSY', { retryAfterSeconds: PASSWORD_BUSY_RETRY_AFTER_SECONDS });
      }
      throw error;
    }
  }
}
