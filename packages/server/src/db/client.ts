import { mkdirSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres, { type Sql } from 'postgres';
import { acquireFolderLock } from './folder-lock.ts';
import { PoolGauge, type PoolStats } from './pool-stats.ts';
import * as schema from './schema.ts';

export type Schema = typeof schema;
/** One type for both drivers: routers and queries never know which engine is behind it. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;

export type DbConfig = {
  /** postgres:// URL, `memory://`, or a PGlite data directory */
  url: string;
  /** false for transaction poolers (Supabase port 6543, PgBouncer) */
  prepare?: boolean;
  /** postgres.js pool size */
  max?: number;
};

export type DbHandle = {
  db: Database;
  driver: 'postgres' | 'pglite';
  /** the URL or folder it was opened with */
  url: string;
  /** true when reachable */
  ping(): Promise<boolean>;
  /**
   * Runs a read-only statement without parameters for health checks: on PostgreSQL on a connection of
   * its own (so it answers while the pool is saturated), on PGlite on its one connection. Throws on error.
   */
  probe<T extends Record<string, unknown>>(statement: string): Promise<T[]>;
  /** connections in use and queries waiting for one (for /metrics) */
  poolStats(): PoolStats;
  close(): Promise<void>;
};

/** The postgres.js pool behind each PostgreSQL database made by createDb (PGlite has none). */
const postgresClients = new WeakMap<Database, Sql>();

/**
 * Runs `fn` in a transaction on one reserved PostgreSQL connection, giving it both a Database for the
 * usual queries and the raw postgres.js connection (for `COPY … FROM STDIN`). Commits when `fn`
 * resolves, rolls back when it throws. Returns undefined without calling `fn` when `db` is not a
 * PostgreSQL database made by createDb (PGlite): the caller then uses `db.transaction`.
 */
export async function withPostgresTransaction<T>(
  db: Database,
  fn: (tx: Database, connection: Sql) => Promise<T>,
): Promise<{ value: T } | undefined> {
  const client = postgresClients.get(db);
  if (!client) return undefined;
  const connection = await client.reserve();
  // A reserved connection lacks the pool's `options`, which drizzle reads (and sets parsers on).
  if (!('options' in connection)) Object.assign(connection, { options: client.options });
  try {
    await connection`begin`;
    let value: T;
    try {
      value = await fn(drizzlePostgres({ client: connection, schema }), connection);
    } catch (error) {
      await connection`rollback`.catch(() => {});
      throw error;
    }
    await connection`commit`;
    return { value };
  } finally {
    connection.release();
  }
}

export const isPostgresUrl = (url: string) => /^postgres(ql)?:\/\//.test(url);

/** The parts of postgres.js's parsed options that its `socket` hook receives and we use. */
type SocketTarget = { host: string[]; port: number[]; path?: string | false };

/**
 * postgres.js's `socket` hook: a TCP connection with Nagle's algorithm off (TCP_NODELAY), as libpq
 * always does. postgres.js itself never sets it, so a message written while the previous one is still
 * unacknowledged waits for the server's delayed ACK: that stalled the statement after every
 * `COPY … FROM STDIN` and pipelined queries of concurrent requests (docs/benchmarks.md, Price import).
 * Hosts of a multi-host URL are tried in turn, as postgres.js does; a unix socket path is used as is.
 * `host` is kept on the socket because postgres.js reads it for TLS server-name indication.
 */
export function noDelaySocketFactory(): (target: SocketTarget) => Socket {
  let next = 0;
  return (target) => {
    if (target.path) return connect({ path: target.path });
    const index = next++ % Math.max(1, target.host.length);
    const host = target.host[index] ?? 'localhost';
    const port = target.port[index] ?? target.port[0] ?? 5432;
    const socket = connect({ host, port });
    socket.setNoDelay(true);
    return Object.assign(socket, { host, port });
  };
}

/**
 * Seconds before a closed connection reconnects, after `retries` connections closed on an error since
 * the last successful connect: postgres.js's own curve (10 ms, 30 ms, 90 ms, …, with jitter) but capped
 * at 1 s instead of 20 s. Its cap is reached after 7 such closes across the pool (a burst of killed
 * connections, a pooler dropping them), and a request handed to a connection waiting that long waited
 * with it, ~18 s after the kills had stopped. A database that is down still sees at most one attempt per
 * connection per second.
 */
export function reconnectDelaySeconds(retries: number): number {
  return (0.5 + Math.random() / 2) * Math.min(3 ** retries / 100, 1);
}

/** A postgres.js client with what every connection of the server shares; `name` is its application_name. */
function postgresClient(
  config: DbConfig,
  options: { max: number; connectTimeout: number; idleTimeout: number; name: string },
) {
  return postgres(config.url, {
    max: options.max,
    prepare: config.prepare ?? true,
    connect_timeout: options.connectTimeout,
    idle_timeout: options.idleTimeout,
    backoff: reconnectDelaySeconds,
    onnotice: () => {},
    connection: { application_name: options.name },
    // `socket` is a postgres.js option its 3.4 type definitions do not declare
    ...({ socket: noDelaySocketFactory() } as object),
  });
}

export async function createDb(config: DbConfig): Promise<DbHandle> {
  if (isPostgresUrl(config.url)) {
    const client = postgresClient(config, {
      max: config.max ?? 10,
      connectTimeout: 5,
      idleTimeout: 30,
      name: 'ethcast',
    });
    const pool = new PoolGauge(config.max ?? 10);
    pool.instrumentPostgres(client);
    const db = drizzlePostgres({ client, schema });
    postgresClients.set(db, client);
    // Health checks get a connection of their own, so they answer quickly while the pool is saturated.
    const pinger = postgresClient(config, {
      max: 1,
      connectTimeout: 2,
      idleTimeout: 60,
      name: 'ethcast-health',
    });
    return {
      db,
      driver: 'postgres',
      url: config.url,
      poolStats: () => pool.stats(),
      ping: async () => {
        try {
          await pinger`select 1`;
          return true;
        } catch {
          return false;
        }
      },
      probe: async <T extends Record<string, unknown>>(statement: string) =>
        [...(await pinger.unsafe(statement))] as unknown as T[],
      close: async () => {
        await Promise.all([client.end({ timeout: 5 }), pinger.end({ timeout: 1 })]);
      },
    };
  }
  const dataDir = config.url.replace(/^file:/, '');
  if (dataDir === 'memory://') {
    const client = await PGlite.create(dataDir);
    return pgliteHandle(client, config.url, async () => {});
  }
  // Before PGlite reads anything: a folder another process has open is never touched (folder-lock.ts).
  const lock = acquireFolderLock(dataDir);
  try {
    mkdirSync(dataDir, { recursive: true });
    const client = await PGlite.create(dataDir);
    return pgliteHandle(client, config.url, async () => lock.release());
  } catch (error) {
    lock.release();
    throw error;
  }
}

function pgliteHandle(client: PGlite, url: string, afterClose: () => Promise<void>): DbHandle {
  const pool = new PoolGauge(1);
  pool.instrumentPglite(client);
  const db = drizzlePglite({ client, schema });
  let closing: Promise<void> | undefined;
  return {
    db,
    driver: 'pglite',
    url,
    poolStats: () => pool.stats(),
    ping: () => ping(db),
    probe: async <T extends Record<string, unknown>>(statement: string) =>
      (await client.query<T>(statement)).rows,
    // A clean close checkpoints: the next start needs no crash recovery (which skips sequence values).
    close: () => {
      closing ??= client.close().finally(afterClose);
      return closing;
    },
  };
}

async function ping(db: Database): Promise<boolean> {
  try {
    await db.execute(sql`select 1`);
    return true;
  } catch {
    return false;
  }
}

/** Rows of a raw `db.execute` for either driver (postgres.js returns an array, PGlite `{ rows }`). */
export async function queryRows<T extends Record<string, unknown>>(
  db: Pick<Database, 'execute'>,
  query: Parameters<Database['execute']>[0],
): Promise<T[]> {
  const result: unknown = await db.execute(query);
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

const preparedQueries = new WeakMap<Database, Map<string, unknown>>();

/**
 * A query built once per database and reused: for the per-request hot paths (the session lookup, the
 * forecast list), drizzle then skips rebuilding the SQL on every call, and postgres.js reuses the server-side
 * prepared statement. `key` must identify the query's shape; parameters are `sql.placeholder`s.
 */
export function preparedQuery<T>(db: Database, key: string, build: (db: Database) => T): T {
  let queries = preparedQueries.get(db);
  if (!queries) {
    queries = new Map();
    preparedQueries.set(db, queries);
  }
  let query = queries.get(key) as T | undefined;
  if (query === undefined) {
    query = build(db);
    queries.set(key, query);
  }
  return query;
}

/** A database or an open transaction: queries that must join a caller's transaction take this. */
export type Executor = Pick<Database, 'insert' | 'select' | 'update' | 'delete' | 'execute'>;
