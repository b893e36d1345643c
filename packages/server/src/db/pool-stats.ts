import type { PGlite } from '@electric-sql/pglite';
import type { Sql } from 'postgres';

export type PoolStats = { size: number; inUse: number; waiting: number };

/**
 * Counts the work holding or wanting a database connection, for the /metrics pool gauges: queries in
 * flight on the pool, open transactions and reserved connections. Neither postgres.js nor PGlite reports
 * its pool, so this is measured at the client's entry points: `inUse` is that count capped at the pool
 * size, `waiting` what exceeds it (postgres.js may pipeline a few queries on one connection, so `waiting`
 * is an upper bound).
 */
export class PoolGauge {
  private active = 0;
  constructor(private readonly size: number) {}

  stats(): PoolStats {
    return {
      size: this.size,
      inUse: Math.min(this.size, this.active),
      waiting: Math.max(0, this.active - this.size),
    };
  }

  private track<T>(promise: PromiseLike<T>): void {
    this.active++;
    const done = () => {
      this.active--;
    };
    promise.then(done, done);
  }

  /** Wraps a postgres.js pool's unsafe (drizzle's queries), begin (transactions) and reserve. */
  instrumentPostgres(client: Sql): void {
    const unsafe = client.unsafe.bind(client);
    // postgres.js queries run a microtask after their first `then`, after drizzle's synchronous
    // `.values()`, so watching one here does not change how it runs
    client.unsafe = ((...args: Parameters<Sql['unsafe']>) => {
      const query = unsafe(...args);
      this.track(query);
      return query;
    }) as Sql['unsafe'];
    const begin = client.begin.bind(client) as (...args: unknown[]) => Promise<unknown>;
    (client as { begin: unknown }).begin = (...args: unknown[]) => {
      const transaction = begin(...args);
      this.track(transaction);
      return transaction;
    };
    const reserve = client.reserve.bind(client);
    client.reserve = async () => {
      this.active++;
      let connection: Awaited<ReturnType<Sql['reserve']>>;
      try {
        connection = await reserve();
      } catch (error) {
        this.active--;
        throw error;
      }
      const release = connection.release.bind(connection);
      let released = false;
      connection.release = () => {
        if (!released) {
          released = true;
          this.active--;
        }
        release();
      };
      return connection;
    };
  }

  /** Wraps PGlite's query, exec and transaction (its one connection serves them in turn). */
  instrumentPglite(client: PGlite): void {
    for (const method of ['query', 'exec', 'transaction'] as const) {
      const original = (client[method] as (...args: unknown[]) => Promise<unknown>).bind(client);
      (client as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
        const result = original(...args);
        this.track(result);
        return result;
      };
    }
  }
}
