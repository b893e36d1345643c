import type { Executor } from '../db/client.ts';
import { type LogRow, writeLog } from '../db/queries/logs.ts';
import type { Viewer } from './viewer.ts';

/** Whom an audit-log row names: a user (id and name), or nobody named. */
export type AuditActor = { userId: number | null; username: string | null };

/** The row names the signed-in user; a system viewer (a job, the CLI on the database) is nobody named. */
export function actorOf(viewer: Viewer): AuditActor {
  if (viewer.kind === 'user')
    return { userId: viewer.session.user.id, username: viewer.session.user.username };
  return { userId: null, username: null };
}

/**
 * The one place an audit-log row is written. Every use case that changes state calls it once, inside
 * the transaction of the change, so the change and its row are committed together or not at all.
 */
export function audit(tx: Executor, actor: AuditActor, action: string): Promise<LogRow> {
  return writeLog(tx, { userId: actor.userId, username: actor.username, action });
}
