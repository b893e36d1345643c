import { keepPreviousData, type QueryKey, useInfiniteQuery } from '@tanstack/react-query';
import { queryClient } from '../api.ts';

type Page<Item> = { items: Item[]; nextCursor: number | null };

/**
 * A list read page by page with the server's cursor (`nextCursor`). Plain useInfiniteQuery over the
 * typed client: tRPC's infiniteQueryOptions adds a `direction` field, which the server's strict inputs
 * refuse. `keys.list` names this input's pages; `keys.all` every input's, for `invalidate`.
 */
export function useCursorList<Item>(
  keys: { list: QueryKey; all: QueryKey },
  fetchPage: (cursor: { cursor?: number }) => Promise<Page<Item>>,
) {
  const query = useInfiniteQuery({
    queryKey: keys.list,
    queryFn: ({ pageParam }) => fetchPage(pageParam ? { cursor: pageParam } : {}),
    initialPageParam: 0,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
  return {
    query,
    rows: query.data?.pages.flatMap((p) => p.items) ?? [],
    invalidate: () => queryClient.invalidateQueries({ queryKey: keys.all }),
  };
}
