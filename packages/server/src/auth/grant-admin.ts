import type { Database } from '../db/client.ts';
import { writeLog } from '../db/queries/logs.ts';
import { getUserByUsername, type PublicUser, updateUserRow } from '../db/queries/users.ts';
import { actions } from '../domain/actions.ts';
import { fail } from '../domain/errors.ts';

/**
 * Makes an existing user an admin (the first admin among users taken over from the legacy backend,
 * who all arrive as `user`). Run from the CLI against the database itself, so it needs no admin yet.
 */
export async function grantAdmin(db: Database, username: string): Promise<PublicUser & { changed: boolean }> {
  return db.transaction(async (tx) => {
    // no viewer: the CLI acts on the database itself, as its operator
    const user = await getUserByUsername(tx, username, null);
    if (!user) return fail('NOT_FOUND', { entity: 'user', id: username });
    if (user.role === 'admin') return { ...user, changed: false };
    const updated = await updateUserRow(tx, user.id, { role: 'admin' });
    if (!updated) return fail('NOT_FOUND', { entity: 'user', id: username });
    await writeLog(tx, { userId: user.id, username: user.username, action: actions.adminGranted });
    return { ...updated, changed: true };
  });
}
