import { availableParallelism } from 'node:os';
import { DomainError } from '../domain/errors.ts';
import { ConcurrencyLimit, QueueFullError } from '../forecasts/concurrency-limit.ts';
import { dummyHash, hashPassword, verifyPassword } from './password.ts';

/** Seconds a client should wait when every bcrypt slot and queue place is taken. */
export const PASSWORD_BUSY_RETRY_AFTER_SECONDS = 1;

/**
 * bcrypt runs here: at most `concurrency` hashes at once (one per core by default: each takes a core
 * for its whole duration), up to `maxQueued` waiting, and beyond that TOO_MANY_REQUESTS at once, so a
 * login storm cannot queue without bound. No database connection is held while a hash runs.
 */
export class PasswordWork {
  private readonly limit: ConcurrencyLimit;

  constructor(
    readonly cost: number,
    concurrency: number = availableParallelism(),
    maxQueued: number = 16 * concurrency,
  ) {
    this.limit = new ConcurrencyLimit(concurrency, maxQueued);
  }

  get concurrency(): number {
    return this.limit.max;
  }

  hash(password: string): Promise<string> {
    return this.run(() => hashPassword(password, this.cost));
  }

  /** Checks against `passwordHash`, or against a dummy hash of the same cost when there is none. */
  verify(password: string, passwordHash: string | null): Promise<boolean> {
    return this.run(async () => verifyPassword(password, passwordHash ?? (await dummyHash(this.cost))));
  }

  private async run<T>(task: () => Promise<T>): Promise<T> {
    try {
      return await this.limit.run(task);
    } catch (error) {
      if (error instanceof QueueFullError) {
        throw new DomainError('SERVER_BUSY', { retryAfterSeconds: PASSWORD_BUSY_RETRY_AFTER_SECONDS });
      }
      throw error;
    }
  }
}
