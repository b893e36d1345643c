import { eq, type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Role } from '../schema.ts';

/** Who reads: a signed-in user (`ctx.user`). */
export type Viewer = { id: number; role: Role };

/**
 * The one owner-or-admin rule, applied inside the queries where rows are read or written (as Midday's
 * queries scope by team): an admin sees every row, anyone else only the rows whose `owner` column holds
 * their id. A row outside the scope is simply not found, so callers answer NOT_FOUND for it exactly as
 * for a missing id, and no router or service checks ownership itself.
 */
export function visibleTo(owner: AnyPgColumn, viewer: Viewer): SQL | undefined {
  return viewer.role === 'admin' ? undefined : eq(owner, viewer.id);
}

/** The same rule in a prepared statement: `scoped` picks the statement, `viewerId` is its parameter. */
export function visibleToPrepared(owner: AnyPgColumn, scoped: boolean): SQL | undefined {
  return scoped ? eq(owner, sql.placeholder('viewerId')) : undefined;
}

/** Escapes LIKE wildcards so a user's search text matches literally (the log and user searches). */
export const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);
