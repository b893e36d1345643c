import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../db/client.ts';
import { logs, predict } from '../db/schema.ts';
import type { Services } from '../services.ts';
import { type Actor, codeOf, createActors } from '../test/actors.ts';
import { testEngine } from '../test/db.ts';
import { useTestDb } from '../test/fixtures.ts';
import { seedPrices } from '../test/price-csv.ts';

// The window between the session lookup (in the context) and the procedure's write: the user is
// deleted in it. The write then meets the foreign key to users (23503); the caller must get 401.
describe(`a user deleted while their request runs (${testEngine})`, () => {
  let services: Services;
  let victim: Actor;
  let admin: Actor;
  useTestDb(
    async (fresh) => {
      services = fresh;
      await seedPrices(services.db, 'ETH-USD', '2024-01-01', 500, 3);
      ({ victim, admin } = await createActors(services, {
        victim: 'doomed',
        admin: ['deleter', 'admin'],
        secondAdmin: ['deleter2', 'admin'],
      }));
    },
    { per: 'test' },
  );

  const orphans = async (userId: number) => {
    const [row] = await queryRows<{ predicts: number; logs: number }>(
      services.db,
      sql`select (select count(*) from predict where user_id = ${userId})::int as predicts,
                 (select count(*) from logs where user_id = ${userId})::int as logs`,
    );
    return row;
  };

  it('predicts.create answers 401, stores nothing and leaves no orphan row', async () => {
    await admin.caller.users.delete({ id: victim.user.id });
    expect(await codeOf(victim.caller.predicts.create({ model: 'naive', days: 3 }))).toBe('UNAUTHORIZED');
    expect(await orphans(victim.user.id)).toEqual({ predicts: 0, logs: 0 });
    expect(await services.db.select().from(predict)).toHaveLength(0);
    expect(
      await services.db.select().from(logs).where(eq(logs.action, 'predict success with model naive')),
    ).toHaveLength(0);
  });

  it('logout, a note update and a failed create answer 401 too', async () => {
    const row = await victim.caller.predicts.create({ model: 'naive', days: 3 });
    await admin.caller.users.delete({ id: victim.user.id });
    expect(await codeOf(victim.caller.users.logout())).toBe('UNAUTHORIZED');
    expect(await codeOf(victim.caller.predicts.create({ model: 'no-such-model', days: 3 }))).toBe(
      'UNAUTHORIZED',
    );
    // the row went with its user, so this one is NOT_FOUND before any write
    expect(await codeOf(victim.caller.predicts.update({ id: row.id, note: 'x' }))).toBe('NOT_FOUND');
    expect(await orphans(victim.user.id)).toEqual({ predicts: 0, logs: 0 });
  });

  it('creates racing a deletion: each one is stored with its log row or refused with 401, never 500', async () => {
    const creates = Array.from({ length: 20 }, () =>
      codeOf(victim.caller.predicts.create({ model: 'naive', days: 3 })),
    );
    const deletion = admin.caller.users.delete({ id: victim.user.id });
    const outcomes = await Promise.all(creates);
    await deletion;
    expect(outcomes.every((o) => o === 'ok' || o === 'UNAUTHORIZED')).toBe(true);
    expect(await orphans(victim.user.id)).toEqual({ predicts: 0, logs: 0 });
  });
});
