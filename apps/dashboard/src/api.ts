import { type AppRouter, createEthcastClient, TRPCClientError } from '@ethcast/client';
import type { FieldIssues } from '@ethcast/server/errors';
import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { createTRPCOptionsProxy } from '@trpc/tanstack-react-query';
import { navigate } from './router.tsx';

/** Same origin in both setups: Vite proxies /trpc in development, the API serves the build in production. */
export const client = createEthcastClient({ url: window.location.origin });

export type ApiError = TRPCClientError<AppRouter>;

export function isApiError(error: unknown): error is ApiError {
  return error instanceof TRPCClientError;
}

export function errorCode(error: unknown): string | undefined {
  return isApiError(error) ? error.data?.code : undefined;
}

/** The server's per-field validation messages in English (zod), or an empty record. */
export function fieldErrorsOf(error: unknown): Record<string, string[]> {
  return (isApiError(error) ? error.data?.fieldErrors : null) ?? {};
}

/** The server's per-field validation codes with their params, or an empty record. */
export function fieldIssuesOf(error: unknown): FieldIssues {
  return (isApiError(error) ? error.data?.fieldIssues : null) ?? {};
}

export const publicPaths = new Set(['/sign-in', '/register']);

/**
 * Any 401 (except a failed sign-in itself) goes to the sign-in page, which empties the cache on mount
 * (nothing cached for the old session survives, and no query is still observed there).
 */
function onUnauthorized() {
  const { pathname, search } = window.location;
  if (publicPaths.has(pathname)) return;
  const here = pathname + search;
  navigate(here === '/' ? '/sign-in' : `/sign-in?next=${encodeURIComponent(here)}`, { replace: true });
}

export const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({
    onError(error) {
      if (errorCode(error) === 'UNAUTHORIZED') onUnauthorized();
    },
  }),
  mutationCache: new MutationCache({
    onError(error, _variables, _context, mutation) {
      if (errorCode(error) === 'UNAUTHORIZED' && !mutation.meta?.unauthorizedIsExpected) onUnauthorized();
    },
  }),
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      refetchOnWindowFocus: false,
      // Client errors (4xx) will not change on retry; network and 5xx errors get one more try.
      retry: (failures, error) => {
        const status = isApiError(error) ? error.data?.httpStatus : undefined;
        return failures < 1 && (status === undefined || status >= 500);
      },
    },
  },
});

export const trpc = createTRPCOptionsProxy<AppRouter>({ client, queryClient });

declare module '@tanstack/react-query' {
  interface Register {
    mutationMeta: { unauthorizedIsExpected?: boolean };
  }
}
