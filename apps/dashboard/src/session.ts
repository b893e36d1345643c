import type { RouterOutputs } from '@ethcast/client';
import { useQuery } from '@tanstack/react-query';
import { trpc } from './api.ts';

export type Me = RouterOutputs['users']['me'];

/** The signed-in user; a 401 means "signed out" and is not retried. */
export function useMe() {
  return useQuery(trpc.users.me.queryOptions(undefined, { retry: false, staleTime: 5 * 60_000 }));
}
