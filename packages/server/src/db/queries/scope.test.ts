import { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import type { Services } from '../../services.ts';
import { type Actor, createActors } from '../../test/actors.ts';
import { testEngine } from '../../test/db.ts';
import { useTestDb } from '../../test/fixtures.ts';
import { seedPrices } from '../../test/price-csv.ts';
import { listLogs } from './logs.ts';
import {
  deletePrediction,
  getPredictionWithCloses,
  listPredictions,
  updatePredictionNote,
} from './predicts.ts';
import { getUserById, getUserByUsername } from './users.ts';

const messageOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (error: unknown) => (error instanceof TRPCError ? `${error.code}: ${error.message}` : String(error)),
  );

describe(`the owner-or-admin scope in the queries (${testEngine})`, () => {
  let services: Services;
  let owner: Actor;
  let other: Actor;
  let admin: Actor;
  let forecastId: number;

  useTestDb(async (fresh) => {
    services = fresh;
    await seedPrices(services.db, 'ETH-USD', '2024-01-01', 120, 5);
    ({ owner, other, admin } = await createActors(services, {
      owner: 'scope_owner',
      other: 'scope_other',
      admin: ['scope_admin', 'admin'],
    }));
    forecastId = (await owner.caller.predicts.create({ model: 'naive', days: 2, note: 'mine' })).id;
  });

  it("reads, updates and deletes of another user's forecast find nothing and change nothing", async () => {
    const db = services.db;
    expect(await getPredictionWithCloses(db, other.user, forecastId)).toBeNull();
    expect(await updatePredictionNote(db, other.user, forecastId, 'not yours')).toBeNull();
    expect(await deletePrediction(db, other.user, forecastId)).toBeNull();
    expect((await getPredictionWithCloses(db, owner.user, forecastId))?.note).toBe('mine');
    expect((await getPredictionWithCloses(db, admin.user, forecastId))?.id).toBe(forecastId);
  });

  it("lists hold only the viewer's rows unless the viewer is an admin, whatever userId asks for", async () => {
    const db = services.db;
    const theirs = await listPredictions(db, other.user, { limit: 50, userId: owner.user.id });
    expect(theirs.items).toEqual([]);
    const own = await listPredictions(db, owner.user, { limit: 50 });
    expect(own.items.map((row) => row.id)).toEqual([forecastId]);
    const everyone = await listPredictions(db, admin.user, { limit: 50 });
    expect(everyone.items.map((row) => row.id)).toContain(forecastId);
    const ownerLogs = await listLogs(db, other.user, { limit: 100, userId: owner.user.id });
    expect(ownerLogs.items).toEqual([]);
    const logs = await listLogs(db, admin.user, { limit: 100, userId: owner.user.id });
    expect(logs.items.length).toBeGreaterThan(0);
  });

  it('users are visible to themselves and to admins', async () => {
    const db = services.db;
    expect(await getUserById(db, owner.user.id, other.user)).toBeNull();
    expect(await getUserByUsername(db, 'SCOPE_OWNER', other.user)).toBeNull();
    expect((await getUserById(db, owner.user.id, owner.user))?.username).toBe('scope_owner');
    expect((await getUserByUsername(db, 'scope_owner', admin.user))?.id).toBe(owner.user.id);
  });

  it('every procedure answers exactly as for a missing id', async () => {
    const missing = forecastId + 10_000;
    const c = other.caller;
    expect(await messageOf(c.predicts.byId({ id: forecastId }))).toBe(
      `NOT_FOUND: forecast ${forecastId} not found`,
    );
    expect(await messageOf(c.predicts.byId({ id: missing }))).toBe(
      `NOT_FOUND: forecast ${missing} not found`,
    );
    expect(await messageOf(c.predicts.update({ id: forecastId, note: 'x' }))).toBe(
      `NOT_FOUND: forecast ${forecastId} not found`,
    );
    expect(await messageOf(c.predicts.delete({ id: forecastId }))).toBe(
      `NOT_FOUND: forecast ${forecastId} not found`,
    );
    const userId = owner.user.id;
    const missingUser = userId + 10_000;
    expect(await messageOf(c.users.byId({ id: userId }))).toBe(`NOT_FOUND: user ${userId} not found`);
    expect(await messageOf(c.users.byId({ id: missingUser }))).toBe(
      `NOT_FOUND: user ${missingUser} not found`,
    );
    expect(await messageOf(c.users.update({ id: userId, username: 'taken_over' }))).toBe(
      `NOT_FOUND: user ${userId} not found`,
    );
    expect(await messageOf(c.users.update({ id: userId, role: 'admin' }))).toBe(
      `NOT_FOUND: user ${userId} not found`,
    );
    expect(await messageOf(c.users.delete({ id: userId }))).toBe(`NOT_FOUND: user ${userId} not found`);
    expect(await messageOf(c.users.byUsername({ username: 'scope_owner' }))).toBe(
      'NOT_FOUND: user scope_owner not found',
    );
    // what the caller may see but not do stays FORBIDDEN
    expect(await messageOf(c.users.update({ id: other.user.id, role: 'admin' }))).toBe(
      'FORBIDDEN: Only admins change roles',
    );
    expect(await messageOf(owner.caller.predicts.byId({ id: forecastId }))).toBe('ok');
  });
});
