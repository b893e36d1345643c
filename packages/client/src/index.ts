import { dayNumber, todayNumber } from '@ethcast/days';
// Types only, erased at run time. `@ethcast/server` is a devDependency of the workspace root rather than
// of this package: the server's tests use this client, and a dependency both ways is a cycle for pnpm.
import type { AppRouter } from '@ethcast/server/router';
import { createTRPCClient, httpBatchLink, httpLink, type TRPCClient } from '@trpc/client';
import superjson from 'superjson';

export type { AppRouter, RouterInputs, RouterOutputs } from '@ethcast/server/router';
export { TRPCClientError } from '@trpc/client';

export type EthcastClientOptions = {
  /** server origin, e.g. http://127.0.0.1:3000 (the /trpc path is added) */
  url: string;
  /** bearer token for scripts; browsers use the httpOnly session cookie instead */
  getToken?: () => string | null | undefined | Promise<string | null | undefined>;
  fetch?: typeof globalThis.fetch;
  headers?: Record<string, string>;
  /**
   * Batch calls made in the same tick into one HTTP request (default true, as the dashboard wants);
   * false sends one request per call.
   */
  batch?: boolean;
};

export type EthcastClient = TRPCClient<AppRouter>;

/**
 * superjson, restoring Dates in the freshly parsed response itself: nothing else holds that object, so
 * superjson's default deep copy of every response is wasted work.
 */
const transformer = {
  serialize: (value: unknown) => superjson.serialize(value),
  deserialize: (payload: Parameters<typeof superjson.deserialize>[0]) =>
    superjson.deserialize(payload, { inPlace: true }),
};

/**
 * Whole days between the last stored price day ('YYYY-MM-DD') and yesterday in UTC, the last daily candle
 * that has closed: 0 while prices are current, more when imports or syncs have stopped. A forecast starts
 * after its last price day, so stale prices make it start in the past.
 */
export function daysBehind(lastDay: string, now: Date = new Date()): number {
  const last = dayNumber(lastDay);
  if (last === null) return 0;
  return Math.max(0, todayNumber(now) - 1 - last);
}

/** Prices at least this far behind deserve a warning (one day of delay is a sync that has not run yet). */
export const STALE_AFTER_DAYS = 2;

/** The server refuses batches of more calls (packages/server/src/http-guards.ts); the link splits them. */
export const MAX_BATCH_SIZE = 10;

export function trpcUrl(url: string): string {
  return `${url.replace(/\/+$/, '')}/trpc`;
}

/** A typed tRPC client for the Ethcast API. Creating one has no side effects and opens no connection. */
export function createEthcastClient(options: EthcastClientOptions): EthcastClient {
  const linkOptions = {
    url: trpcUrl(options.url),
    transformer,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    async headers() {
      const token = await options.getToken?.();
      return { ...options.headers, ...(token ? { authorization: `Bearer ${token}` } : {}) };
    },
  };
  return createTRPCClient<AppRouter>({
    links: [
      options.batch === false
        ? httpLink(linkOptions)
        : httpBatchLink({ ...linkOptions, maxItems: MAX_BATCH_SIZE }),
    ],
  });
}
