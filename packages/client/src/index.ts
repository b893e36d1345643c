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
    links: [options.batch === false ? httpLink(linkOptions) : httpBatchLink(linkOptions)],
  });
}
