import { randomUUID } from 'node:crypto';
import type PgBoss from 'pg-boss';
import {
  claimRun,
  finishRun,
  getRun,
  hasRunningRun,
  type JobRun,
  queuedScheduledRuns,
  staleRunningRuns,
  startAttempt,
} from '../db/queries/job-runs.ts';
import { fail } from '../domain/errors.ts';
import { pgErrorCode, safeErrorSummary } from '../errors.ts';
import type { JobRunner, Services } from '../services.ts';
import { isJobName, JOB_NAMES, type JobName, type JobsConfig } from './config.ts';
import type { JobDefinition } from './definition.ts';
import { jobFailures } from './failure.ts';
import { type Clock, latestOccurrence, scheduledRunId, systemClock } from './occurrence.ts';
import { pgliteBossDb } from './pglite-boss-db.ts';
import { withJobLock } from './run-lock.ts';

export type JobLog = { info(message: string): void; error(message: string): void };

export type JobEngineOptions = {
  clock?: Clock;
  /** the PostgreSQL schema pg-boss keeps its queue in */
  bossSchema?: string;
  log?: JobLog;
  /** how long `run` waits for a manual run to finish before answering with its current state */
  manualWaitMs?: number;
};

type RunPayload = { runId: string };

/**
 * The scheduled jobs of one server process, on pg-boss. Every replica runs the same engine on the same
 * database:
 *
 * - Each poll, a replica works out the latest occurrence of every enabled schedule (cron, UTC, by the
 *   engine's clock) and records its run under an id derived from job and occurrence: the unique run row
 *   and pg-boss's job id (the same id, inserted with ON CONFLICT DO NOTHING) make every occurrence one
 *   run however many replicas see it. A missed occurrence (every replica down) runs when one comes back.
 * - pg-boss hands each queued job to one worker (FOR UPDATE SKIP LOCKED), retries a failed one with
 *   exponential backoff, and fails-and-retries one whose worker died (still active after the timeout).
 * - A job's runs never overlap: no new occurrence is claimed while a run of the job is under way on any
 *   replica (the occurrences due meanwhile become one run, the latest, once it has finished), and every
 *   attempt holds the job's lock while it runs (jobs/run-lock.ts), so a run by hand or a retry waits.
 * - The run row records attempts, duration, outcome and error for operators.
 *
 * On PostgreSQL pg-boss uses its own small `pg` pool; on the embedded PGlite it runs through
 * pgliteBossDb in this single process.
 */
export class JobEngine implements JobRunner {
  private boss: PgBoss | null = null;
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;
  private stopped = false;
  readonly clock: Clock;
  private readonly definitions = new Map<JobName, JobDefinition>();
  private readonly log: JobLog;

  constructor(
    private readonly services: Services,
    definitions: readonly JobDefinition[],
    private readonly options: JobEngineOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.log = options.log ?? { info: () => {}, error: () => {} };
    for (const definition of definitions) this.definitions.set(definition.name, definition);
  }

  private get config(): JobsConfig {
    return this.services.config.jobs;
  }

  async start(): Promise<void> {
    const { dbHandle } = this.services;
    const { config } = this;
    // loaded when jobs start, not on import: processes that never run jobs (CLI, JOBS=off) skip pg and pg-boss
    const { default: PgBoss } = await import('pg-boss');
    const common = {
      schema: this.options.bossSchema ?? 'pgboss',
      // occurrences are ours (by the engine's clock); pg-boss's own cron would read the database's clock
      schedule: false,
      supervise: true,
      // expiry of a dead worker's job is found by maintenance, so it runs a few times per timeout
      maintenanceIntervalSeconds: Math.max(1, Math.min(120, Math.floor(config.timeoutSeconds / 2))),
    };
    const boss =
      dbHandle.driver === 'postgres'
        ? new PgBoss({
            ...common,
            connectionString: dbHandle.url,
            max: 3,
            application_name: 'ethcast-jobs',
          })
        : new PgBoss({ ...common, db: pgliteBossDb(dbHandle.db) });
    boss.on('error', (error) => this.log.error(`jobs: ${safeErrorSummary(error).message}`));
    await boss.start();
    this.boss = boss;
    for (const name of JOB_NAMES) {
      const queue = {
        retryLimit: config.retryLimit,
        retryDelay: config.retryDelaySeconds,
        retryBackoff: true,
        expireInSeconds: config.timeoutSeconds,
      };
      // replicas starting together on a new database race to create the queues (pg-boss makes a partition
      // per queue, and two such transactions can deadlock): the loser retries and finds the queue there
      await retryOnConflict(async () => {
        if (!(await boss.getQueue(name)))
          await boss.createQueue(name, { name, policy: 'standard', ...queue });
      });
      // a queue keeps the options it was created with: bring them in line with this config
      await boss.updateQueue(name, { name, policy: 'standard', ...queue });
      await boss.work<RunPayload>(
        name,
        { pollingIntervalSeconds: config.pollSeconds, batchSize: 1, includeMetadata: true },
        async ([job]) => {
          if (job) await this.execute(name, job.data.runId, job.retryCount, job.retryLimit);
        },
      );
    }
    await this.tick();
    this.timer = setInterval(() => void this.tick(), config.pollSeconds * 1000);
    this.timer.unref();
  }

  /** Waits for the current attempt (pg-boss fails whatever is still running after the grace period). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.ticking;
    await this.boss?.stop({ graceful: true, timeout: 10_000, wait: true });
    this.boss = null;
  }

  /** Records and queues every due occurrence; re-queues scheduled runs a stopped replica left behind. */
  tick(): Promise<void> {
    this.ticking ??= this.scheduleDue()
      .catch((error: unknown) =>
        this.log.error(`jobs: scheduling failed: ${safeErrorSummary(error).message}`),
      )
      .finally(() => {
        this.ticking = null;
      });
    return this.ticking;
  }

  private async scheduleDue(): Promise<void> {
    const boss = this.boss;
    if (!boss || this.stopped) return;
    const { db } = this.services;
    const now = this.clock();
    for (const name of JOB_NAMES) {
      const cron = this.config.schedules[name];
      if (!cron || !this.definitions.has(name)) continue;
      // while a run of the job is under way (on any replica), its next occurrence waits: the ones that
      // come due meanwhile are claimed as one (the latest) once it has finished
      if (await hasRunningRun(db, name, this.runningCutoff())) continue;
      const occurrence = latestOccurrence(cron, now);
      const run = await claimRun(db, { id: scheduledRunId(name, occurrence), job: name, occurrence });
      if (run.state === 'queued') await this.enqueue(boss, run);
    }
    // claimed but never handed to pg-boss (the replica stopped in between): hand it over now
    for (const run of await queuedScheduledRuns(db)) {
      if (isJobName(run.job) && this.config.schedules[run.job]) await this.enqueue(boss, run);
    }
    await this.settleAbandoned(boss);
  }

  private async enqueue(boss: PgBoss, run: JobRun): Promise<void> {
    // the same id again is a no-op in pg-boss (ON CONFLICT DO NOTHING), so every replica may try
    await boss.send(run.job, { runId: run.id } satisfies RunPayload, { id: run.id });
  }

  /**
   * A run whose replica died on its last attempt stays "running" in our table while pg-boss has failed
   * it by timeout: record the failure.
   */
  /** Attempts started before this have outlived the timeout (pg-boss has expired them). */
  private runningCutoff(): Date {
    return new Date(Date.now() - this.config.timeoutSeconds * 1000);
  }

  private async settleAbandoned(boss: PgBoss): Promise<void> {
    const cutoff = this.runningCutoff();
    for (const run of await staleRunningRuns(this.services.db, cutoff)) {
      const job = await boss.getJobById(run.job, run.id).catch(() => null);
      if (!job || job.state === 'failed' || job.state === 'cancelled') {
        await finishRun(this.services.db, run.id, {
          state: 'failed',
          durationMs: Date.now() - (run.startedAt?.getTime() ?? Date.now()),
          error: `timed out after ${this.config.timeoutSeconds} s (its server stopped mid-run?) and no attempts are left`,
          errorReasons: [{ reason: 'JOB_TIMED_OUT', params: { seconds: this.config.timeoutSeconds } }],
        });
      }
    }
  }

  /**
   * One attempt of a run, called by pg-boss's worker. Throwing hands the job back for a retry. The
   * attempt waits for the job's lock first (jobs/run-lock.ts): a run by hand, two occurrences claimed at
   * once, or a retry pg-boss hands out while a slow attempt still runs, each waits for the run before it.
   */
  private execute(name: JobName, runId: string, retryCount: number, retryLimit: number) {
    return withJobLock(this.services.dbHandle, name, () => this.attempt(name, runId, retryCount, retryLimit));
  }

  private async attempt(name: JobName, runId: string, retryCount: number, retryLimit: number) {
    const definition = this.definitions.get(name);
    const { db, metrics } = this.services;
    const run = await startAttempt(db, runId);
    if (!run || !definition) return; // finished already (a duplicate delivery), or unknown here
    const started = performance.now();
    try {
      const result = await definition.run({
        services: this.services,
        clock: this.clock,
        runId,
        attempt: run.attempts,
      });
      const durationMs = performance.now() - started;
      await finishRun(db, runId, { state: 'succeeded', durationMs, result });
      metrics.jobFinished(name, 'succeeded', durationMs / 1000);
      this.log.info(`jobs: ${name} succeeded in ${Math.round(durationMs)} ms`);
    } catch (error) {
      const durationMs = performance.now() - started;
      const message = jobErrorMessage(error);
      const retrying = retryCount < retryLimit;
      await finishRun(db, runId, {
        state: retrying ? 'queued' : 'failed',
        durationMs,
        error: message,
        errorReasons: jobFailures(error),
      });
      metrics.jobFinished(name, 'failed', durationMs / 1000);
      this.log.error(
        `jobs: ${name} failed (attempt ${run.attempts}${retrying ? ', will retry' : ''}): ${message}`,
      );
      throw error;
    }
  }

  /**
   * Runs a job now, whatever its schedule says (switched-off jobs included), and waits for it to finish
   * (up to manualWaitMs; then the run is answered as it stands).
   */
  async runNow(name: string, requestedBy: string | null): Promise<JobRun> {
    if (!isJobName(name) || !this.definitions.has(name)) fail('UNKNOWN_JOB', { job: name });
    const boss = this.boss;
    if (!boss) fail('JOBS_DISABLED');
    const run = await claimRun(this.services.db, {
      id: randomUUID(),
      job: name,
      occurrence: null,
      requestedBy,
    });
    await this.enqueue(boss, run);
    const deadline = Date.now() + (this.options.manualWaitMs ?? 120_000);
    for (;;) {
      const current = await getRun(this.services.db, run.id);
      if (!current || current.state === 'succeeded' || current.state === 'failed' || Date.now() > deadline) {
        return current ?? run;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** The error's own first line (a job's errors say what failed), but never drizzle's SQL text. */
function jobErrorMessage(error: unknown): string {
  const own = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
  return own && !own.startsWith('Failed query') ? own.slice(0, 500) : safeErrorSummary(error).message;
}

/** Runs `fn` again (up to 5 times) when PostgreSQL reports a deadlock or a duplicate from a concurrent twin. */
async function retryOnConflict(fn: () => Promise<void>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      const code = pgErrorCode(error);
      const conflict = code === '40P01' || code === '23505' || code === '42P07';
      if (!conflict || attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt + Math.random() * 100));
    }
  }
}
