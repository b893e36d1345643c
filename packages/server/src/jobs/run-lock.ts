import { sql } from 'drizzle-orm';
import type { DbHandle } from '../db/client.ts';

/** In-process queues per embedded database (one process owns a PGlite folder: see db/folder-lock.ts). */
const embeddedQueues = new WeakMap<DbHandle, Map<string, Promise<unknown>>>();

/**
 * Runs `fn` while holding the job's lock, waiting for it first: one run of a job at a time across every
 * replica on the database.
 *
 * On PostgreSQL the lock is a transaction-level advisory lock on a connection of its own, held for the
 * whole run (the run's own queries use other connections): a replica that dies releases it with its
 * connection. If that connection is lost mid-run the lock goes with it; the run still finishes and its
 * outcome is kept. On the embedded PGlite, whose one process owns the database, it is a queue in memory
 * (a transaction would hold PGlite's only connection and stall the run's own queries).
 */
export async function withJobLock<T>(handle: DbHandle, job: string, fn: () => Promise<T>): Promise<T> {
  if (handle.driver === 'pglite') return queueInProcess(handle, job, fn);
  let outcome: { value: T } | null = null;
  try {
    await handle.db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`ethcast-job:${job}`}))`);
      outcome = { value: await fn() };
    });
  } catch (error) {
    // the run finished but the lock's connection failed afterwards (its commit): the run's outcome holds
    if (outcome) return (outcome as { value: T }).value;
    throw error;
  }
  if (!outcome) throw new Error('job lock transaction ended without running the job');
  return (outcome as { value: T }).value;
}

function queueInProcess<T>(handle: DbHandle, job: string, fn: () => Promise<T>): Promise<T> {
  let queues = embeddedQueues.get(handle);
  if (!queues) {
    queues = new Map();
    embeddedQueues.set(handle, queues);
  }
  const previous = queues.get(job) ?? Promise.resolve();
  const run = previous.then(fn, fn);
  const settled = run.then(
    () => undefined,
    () => undefined,
  );
  queues.set(job, settled);
  void settled.then(() => {
    if (queues.get(job) === settled) queues.delete(job);
  });
  return run;
}
