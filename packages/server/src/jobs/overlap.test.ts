import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type DbHandle, queryRows } from '../db/client.ts';
import { loadConfig } from '../env.ts';
import { createServices } from '../services.ts';
import { createTestDb, type TestDb, testEngine } from '../test/db.ts';
import { allRuns, manualClock, waitFor } from '../test/jobs.ts';
import type { JobDefinition } from './definition.ts';
import { JobEngine } from './engine.ts';

/**
 * Two job engines (two replicas) on one database, a job scheduled every minute whose run lasts longer
 * than a minute: the next occurrence must not start while the first runs, on either replica, and
 * neither may a run asked for by hand.
 */
describe(`a job's runs never overlap across replicas (${testEngine})`, () => {
  let testDb: TestDb;
  let secondHandle: DbHandle;
  const engines: JobEngine[] = [];
  beforeAll(async () => {
    testDb = await createTestDb();
    // on PostgreSQL each replica has its own connections; PGlite is one process's database
    secondHandle = testDb.url ? await createDb({ url: testDb.url }) : testDb.handle;
  });
  afterAll(async () => {
    await Promise.all(engines.map((engine) => engine.stop()));
    if (secondHandle !== testDb?.handle) await secondHandle?.close();
    await testDb?.close();
  });

  it('an every-minute job whose run takes longer: one run at a time, missed occurrences coalesce', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let active = 0;
    let mostActive = 0;
    const started: string[] = [];
    const slowJob: JobDefinition = {
      name: 'score-forecasts',
      description: 'a run that lasts until the test lets it end',
      async run({ runId }) {
        started.push(runId);
        active++;
        mostActive = Math.max(mostActive, active);
        try {
          await gate;
        } finally {
          active--;
        }
        return { ok: true };
      },
    };
    const env = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      JOBS: 'on',
      JOBS_POLL_SECONDS: '0.5',
      JOB_SCORE_FORECASTS: '* * * * *',
      JOB_SYNC_PRICES: 'off',
      JOB_RECALIBRATE: 'off',
    };
    const clock = manualClock('2026-04-02T00:00:30Z');
    const bossSchema = `pgboss_${randomBytes(4).toString('hex')}`;
    for (const handle of [testDb.handle, secondHandle]) {
      const services = createServices(loadConfig(env), handle, { clock });
      const engine = new JobEngine(services, [slowJob], { clock, bossSchema, manualWaitMs: 600_000 });
      engines.push(engine);
      await engine.start();
    }
    const [first, second] = engines as [JobEngine, JobEngine];

    await waitFor('the 00:00 run to start', async () => started.length === 1);
    // a minute later the next occurrence is due while the first still runs: both replicas see it
    clock.set('2026-04-02T00:01:30Z');
    for (let i = 0; i < 3; i++) {
      await first.tick();
      await second.tick();
    }
    expect((await allRuns(testDb.db)).map((r) => [r.occurrence?.toISOString(), r.state])).toEqual([
      ['2026-04-02T00:00:00.000Z', 'running'],
    ]);
    // two more minutes: still the one run
    clock.set('2026-04-02T00:03:30Z');
    for (let i = 0; i < 3; i++) {
      await first.tick();
      await second.tick();
    }
    expect(await allRuns(testDb.db)).toHaveLength(1);

    // a run by hand meanwhile: a worker takes it, and it waits for the running one
    const manual = second.runNow('score-forecasts', 'ana');
    const manualId = await waitFor('the manual run to be recorded', async () => {
      const run = (await allRuns(testDb.db)).find((r) => r.trigger === 'manual');
      return run?.id;
    });
    await waitFor('a worker to take the manual run', async () => {
      const [job] = await queryRows<{ state: string }>(
        testDb.db,
        sql`select state from ${sql.identifier(bossSchema)}.job where id = ${manualId}::uuid`,
      );
      return job?.state === 'active';
    });
    expect(started).toHaveLength(1);
    expect((await allRuns(testDb.db)).find((r) => r.id === manualId)?.state).toBe('queued');

    release();
    expect(await manual).toMatchObject({ state: 'succeeded', trigger: 'manual' });
    // the occurrences missed meanwhile (00:01 to 00:03) run once the first has finished, as one run
    const runs = await waitFor('the 00:03 occurrence to finish', async () => {
      const all = await allRuns(testDb.db);
      return all.length === 3 && all.every((r) => r.state === 'succeeded') && all;
    });
    expect(runs.map((r) => r.occurrence?.toISOString() ?? 'manual').sort()).toEqual([
      '2026-04-02T00:00:00.000Z',
      '2026-04-02T00:03:00.000Z',
      'manual',
    ]);
    expect(started).toHaveLength(3);
    expect(mostActive).toBe(1);
  }, 120_000);
});
