import { and, desc, eq, gte, ilike, lt, lte, type SQL } from 'drizzle-orm';
import { clip } from '../../domain/text.ts';
import type { Database, Executor } from '../client.ts';
import { logs } from '../schema.ts';
import { escapeLike, type Viewer, visibleTo } from './scope.ts';

export const logColumns = {
  id: logs.id,
  date: logs.date,
  usernameLog: logs.usernameLog,
  action: logs.action,
  userId: logs.userId,
};

export type LogRow = typeof logs.$inferSelect;

export type LogEntry = { userId: number | null; username: string | null; action: string };

/** Writes an audit-log row. Only the use cases call it (usecases/audit.ts), once per change they make. */
export async function writeLog(db: Executor, entry: LogEntry): Promise<LogRow> {
  const [row] = await logInsert(db, entry);
  if (!row) throw new Error('log insert returned no row');
  return row;
}

/** The insert of an audit-log row, not yet run (a use case may run it as a CTE beside its change). */
export function logInsert(db: Executor, entry: LogEntry) {
  return db
    .insert(logs)
    .values({
      userId: entry.userId,
      usernameLog: entry.username === null ? null : clip(entry.username),
      action: clip(entry.action),
    })
    .returning(logColumns);
}

export type ListLogsArgs = {
  cursor?: number;
  limit: number;
  userId?: number;
  action?: string;
  from?: Date;
  to?: Date;
};

/** The viewer's log rows (an admin's: every row, or one user's), newest first, keyset-paginated on id. */
export async function listLogs(
  db: Database,
  viewer: Viewer,
  args: ListLogsArgs,
): Promise<{ items: LogRow[]; nextCursor: number | null }> {
  const conditions: (SQL | undefined)[] = [visibleTo(logs.userId, viewer)];
  if (args.cursor !== undefined) conditions.push(lt(logs.id, args.cursor));
  if (args.userId !== undefined) conditions.push(eq(logs.userId, args.userId));
  if (args.action) conditions.push(ilike(logs.action, `%${escapeLike(args.action)}%`));
  if (args.from) conditions.push(gte(logs.date, args.from));
  if (args.to) conditions.push(lte(logs.date, args.to));
  const rows = await db
    .select(logColumns)
    .from(logs)
    .where(and(...conditions))
    .orderBy(desc(logs.id))
    .limit(args.limit + 1);
  const items = rows.slice(0, args.limit);
  return { items, nextCursor: rows.length > args.limit ? (items.at(-1)?.id ?? null) : null };
}

export async function getLog(db: Executor, id: number): Promise<LogRow | null> {
  const [row] = await db.select(logColumns).from(logs).where(eq(logs.id, id)).limit(1);
  return row ?? null;
}

export async function updateLog(
  db: Executor,
  id: number,
  values: { usernameLog: string | null; action: string },
): Promise<LogRow | null> {
  const [row] = await db.update(logs).set(values).where(eq(logs.id, id)).returning(logColumns);
  return row ?? null;
}

export async function deleteLog(db: Executor, id: number): Promise<LogRow | null> {
  const [row] = await db.delete(logs).where(eq(logs.id, id)).returning(logColumns);
  return row ?? null;
}
