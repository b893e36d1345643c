import type { RouterOutputs } from '@ethcast/client';
import { formatTable } from '@ethcast/forecast/terminal';
import { type Command, parseCommandArgs, UsageError } from '../command.ts';
import { printJson } from '../output.ts';

type JobRun = RouterOutputs['jobs']['run'];

const seconds = (ms: number | null) => (ms === null ? '' : `${(ms / 1000).toFixed(1)} s`);
const outcome = (run: JobRun | null) =>
  !run ? 'never run' : run.state === 'queued' && run.error ? 'retrying' : run.state;

export const jobsListCommand: Command = {
  name: 'jobs list',
  usage: 'ethcast jobs list [--json]',
  summary: 'Scheduled jobs: schedule, next run, last run with its outcome and error (admins)',
  async run(ctx) {
    parseCommandArgs(ctx.args, {}, this.usage);
    const { enabled, jobs } = await ctx.client.jobs.list.query();
    if (ctx.json) return printJson({ enabled, jobs });
    const when = (date: Date | null | undefined) => (date ? ctx.time.dateTime(date) : '');
    if (!enabled)
      console.log('Jobs are switched off on this server (JOBS=off); another replica may run them.');
    console.log(
      formatTable(
        jobs.map((j) => ({
          job: j.name,
          schedule: j.schedule ?? 'off',
          'next run': when(j.nextRunAt),
          'last run': when(j.lastRun?.startedAt ?? j.lastRun?.queuedAt),
          outcome: outcome(j.lastRun),
          duration: seconds(j.lastRun?.durationMs ?? null),
          error: j.lastRun?.error ?? '',
        })),
      ),
    );
  },
};

export const jobsRunCommand: Command = {
  name: 'jobs run',
  usage: 'ethcast jobs run <sync-prices|score-forecasts|recalibrate> [--json]',
  summary: 'Run a job now on the server and wait for its outcome (admins)',
  async run(ctx) {
    const { positionals } = parseCommandArgs(ctx.args, {}, this.usage);
    if (positionals.length !== 1) throw new UsageError(`expected one job name (usage: ${this.usage})`);
    const run = await ctx.client.jobs.run.mutate({ name: positionals[0] as string });
    if (ctx.json) return printJson(run);
    const line = `${run.job}: ${outcome(run)}${run.durationMs !== null ? ` in ${seconds(run.durationMs)}` : ''}`;
    if (run.state === 'failed') throw new Error(`${line}: ${run.error ?? 'failed'}`);
    console.log(line);
    if (run.result) console.log(describeJobResult(run.job, run.result));
    if (run.state !== 'succeeded')
      console.log('Still running; see "pnpm ethcast jobs list" for its outcome.');
  },
};

type Row = Record<string, unknown>;
const rowsOf = (value: unknown): Row[] =>
  Array.isArray(value) ? value.filter((r): r is Row => typeof r === 'object' && r !== null) : [];

/**
 * A job's result as text (the server stores it as JSON; `--json` prints it as is). The three jobs'
 * results in words; any other job's as `key: value` lines, lists of records as a table.
 */
export function describeJobResult(job: string, result: Record<string, unknown>): string {
  if (typeof result.skipped === 'string') return `Skipped: ${result.skipped}.`;
  if (job === 'score-forecasts' && typeof result.points === 'number') {
    return result.points === 0
      ? 'Nothing new to score.'
      : `Scored ${result.points} points of ${result.forecasts} forecasts.`;
  }
  if (job === 'sync-prices' && Array.isArray(result.symbols)) {
    const symbols = rowsOf(result.symbols);
    if (symbols.length === 0) return 'No symbols to sync.';
    return symbols
      .map((s) =>
        s.from === null
          ? `${s.symbol}: up to date`
          : `${s.symbol}: ${s.from} → ${s.to}, ${s.inserted} inserted, ${s.updated} updated`,
      )
      .join('\n');
  }
  if (job === 'recalibrate' && Array.isArray(result.versions)) {
    const versions = rowsOf(result.versions);
    if (versions.length === 0) return 'No new outcomes: every calibration is unchanged.';
    return versions
      .map((v) => `${v.symbol} ${v.model}: calibration version ${v.version} from ${v.outcomes} new outcomes`)
      .join('\n');
  }
  return Object.entries(result)
    .map(([key, value]) => {
      const rows = rowsOf(value);
      if (rows.length > 0 && rows.length === (value as unknown[]).length) {
        return `${key}:\n${formatTable(rows)}`;
      }
      return `${key}: ${typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value)}`;
    })
    .join('\n');
}

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

export const trackRecordCommand: Command = {
  name: 'track-record',
  usage: 'ethcast track-record [--symbol ETH-USD] [--model NAME] [--days N] [--json]',
  summary: "How each model's served forecasts turned out: error vs persistence, band coverage",
  async run(ctx) {
    const { values } = parseCommandArgs(
      ctx.args,
      { symbol: { type: 'string' }, model: { type: 'string' }, days: { type: 'string' } },
      this.usage,
    );
    const horizon = values.days === undefined ? undefined : Number(values.days);
    if (horizon !== undefined && !(Number.isInteger(horizon) && horizon >= 1)) {
      throw new UsageError(`--days must be a positive whole number (usage: ${this.usage})`);
    }
    const record = await ctx.client.models.trackRecord.query({
      symbol: values.symbol ?? 'ETH-USD',
      ...(values.model ? { model: values.model } : {}),
      ...(horizon ? { horizon } : {}),
    });
    if (ctx.json) return printJson(record);
    if (record.models.length === 0) {
      console.log(
        `No scored ${record.symbol} forecasts yet (the score-forecasts job scores them once their days close).`,
      );
      return;
    }
    for (const m of record.models) {
      console.log(`${record.symbol} ${m.model}: ${m.verdict}`);
      console.log(
        formatTable(
          [m.overall, ...m.horizons].map((r) => ({
            days: r.horizon ?? 'all',
            n: r.n,
            origins: r.origins,
            MAE: r.mae.toFixed(2),
            'vs persistence': r.maeRatio === null ? '' : r.maeRatio.toFixed(3),
            '80% coverage': `${pct(r.coverage80.observed)} (${pct(r.coverage80.low)}–${pct(r.coverage80.high)})`,
            '95% coverage': `${pct(r.coverage95.observed)} (${pct(r.coverage95.low)}–${pct(r.coverage95.high)})`,
            'width 80%': pct(r.relativeWidth80),
            enough: r.enough ? 'yes' : 'too few',
          })),
        ),
      );
      console.log('');
    }
  },
};
