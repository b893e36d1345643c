import type { Executor } from '../db/client.ts';
import { type LogRow, writeLog } from '../db/queries/logs.ts';
import { found } from '../domain/errors.ts';
import type { Services } from '../services.ts';
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

/**
 * Changes one row and logs `action` in the same transaction. `change` answers the changed row, or
 * nothing when there is no such row: NOT_FOUND for `entity` `id`, and nothing is logged.
 */
export function changeAudited<T>(
  services: Services,
  viewer: Viewer,
  target: { entity: string; id: number },
  action: string,
  change: (tx: Executor) => Promise<T | null | undefined>,
): Promise<T> {
  return services.db.transaction(async (tx) => {
    const row = found(await change(tx), target.entity, target.id);
    await audit(tx, actorOf(viewer), action);
    return row;
  });
}
