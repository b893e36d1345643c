import { withEvent } from '../auth/action-events.ts';
import {
  deleteLog,
  getLog,
  type ListLogsArgs,
  type LogRow,
  listLogs,
  updateLog,
} from '../db/queries/logs.ts';
import { actions } from '../domain/actions.ts';
import { found } from '../domain/errors.ts';
import type { Services } from '../services.ts';
import { changeAudited } from './audit.ts';
import { requireAdmin, requireUser, type Viewer } from './viewer.ts';

/** Admins see every row (optionally one user's); a user sees only their own. Each row with its event. */
export async function listLogEntries(services: Services, viewer: Viewer, input: ListLogsArgs) {
  const page = await listLogs(services.db, requireUser(viewer), input);
  return { ...page, items: page.items.map(withEvent) };
}

/** One row, for admins. */
export async function getLogEntry(
  services: Services,
  viewer: Viewer,
  input: { id: number },
): Promise<LogRow> {
  requireAdmin(viewer);
  return found(await getLog(services.db, input.id), 'log', input.id);
}

/** Admins correct a row; the correction is itself logged. */
export async function editLogEntry(
  services: Services,
  viewer: Viewer,
  input: { id: number; usernameLog: string | null; action: string },
): Promise<LogRow> {
  requireAdmin(viewer);
  const target = { entity: 'log', id: input.id };
  const change = { usernameLog: input.usernameLog, action: input.action };
  return changeAudited(services, viewer, target, actions.logEdited(input.id), (tx) =>
    updateLog(tx, input.id, change),
  );
}

/** Admins delete a row; the deletion is itself logged. */
export async function deleteLogEntry(
  services: Services,
  viewer: Viewer,
  input: { id: number },
): Promise<LogRow> {
  requireAdmin(viewer);
  const target = { entity: 'log', id: input.id };
  return changeAudited(services, viewer, target, actions.logDeleted(input.id), (tx) =>
    deleteLog(tx, input.id),
  );
}
