import { daysBehind, type RouterOutputs, STALE_AFTER_DAYS } from '@ethcast/client';
import { formatTable } from '@ethcast/forecast/terminal';
import {
  type Command,
  givenFields,
  parseCommandArgs,
  positiveIntOption,
  stringOptions,
  UsageError,
} from '../command.ts';
import { pageFields, printJson, printPage } from '../output.ts';

type Point = RouterOutputs['predicts']['byId']['points'][number];

/** What a field shows when the forecast has none (forecasts taken over from the legacy backend). */
const MISSING = '—';

const money = (v: number) => (v >= 100 ? v.toFixed(2) : v.toPrecision(5));
const range = (lower: number | undefined, upper: number | undefined) =>
  lower === undefined || upper === undefined ? MISSING : `${money(lower)} – ${money(upper)}`;
const orMissing = (value: string | number | null | undefined) =>
  value === null || value === undefined ? MISSING : value;
const percent = (fraction: number | null) =>
  fraction === null ? MISSING : `${(fraction * 100).toFixed(0)}%`;

function pointsTable(points: Point[], actuals?: RouterOutputs['predicts']['byId']['actuals']) {
  const byDay = new Map(actuals?.map((a) => [a.day, a]));
  return formatTable(
    points.map((p) => {
      const actual = byDay.get(p.day);
      return {
        day: p.day,
        forecast: money(p.value),
        '80% range': range(p.lower80, p.upper80),
        '95% range': range(p.lower95, p.upper95),
        ...(actuals
          ? { actual: actual ? money(actual.actual) : '', error: actual ? money(actual.error) : '' }
          : {}),
      };
    }),
  );
}

export const forecastCommand: Command = {
  name: 'forecast',
  usage: 'ethcast forecast --days N [--model NAME] [--symbol ETH-USD] [--note TEXT] [--json]',
  summary: 'Make and store a forecast (default model when --model is left out)',
  async run(ctx) {
    const { values } = parseCommandArgs(
      ctx.args,
      stringOptions('days', 'model', 'symbol', 'note'),
      this.usage,
    );
    const days = positiveIntOption(values.days, 'days', this.usage);
    if (!days) throw new UsageError(`--days is required (usage: ${this.usage})`);
    const row = await ctx.client.predicts.create.mutate({
      days,
      ...givenFields({ model: values.model, symbol: values.symbol, note: values.note }),
    });
    if (ctx.json) return printJson(row);
    console.log(
      `Forecast ${row.id}: ${row.symbol} with ${row.model} (${row.modelVersion}), prices through ${row.dataThrough}`,
    );
    console.log(pointsTable(row.points ?? []));
    const behind = row.dataThrough ? daysBehind(row.dataThrough) : 0;
    if (behind >= STALE_AFTER_DAYS) {
      console.error(
        `warning: the stored ${row.symbol} prices are ${behind} days behind, so this forecast starts after ${row.dataThrough}, not today; load newer prices with "pnpm ethcast prices:sync" or "prices:import"`,
      );
    }
  },
};

export const historyCommand: Command = {
  name: 'history',
  usage: 'ethcast history [--symbol S] [--model NAME] [--user ID] [--limit N] [--cursor ID] [--json]',
  summary: 'Your forecasts, newest first (admins: --user or everyone)',
  async run(ctx) {
    const { values } = parseCommandArgs(
      ctx.args,
      stringOptions('symbol', 'model', 'user', 'limit', 'cursor'),
      this.usage,
    );
    const page = await ctx.client.predicts.list.query({
      ...pageFields(values, 20, this.usage),
      ...givenFields({
        symbol: values.symbol,
        model: values.model,
        userId: positiveIntOption(values.user, 'user', this.usage),
      }),
    });
    printPage(ctx, page, () =>
      formatTable(
        page.items.map((r) => {
          const last = r.lastPoint;
          return {
            id: r.id,
            made: ctx.time.dateTime(r.date),
            user: orMissing(r.usernamePredict),
            symbol: orMissing(r.symbol),
            model: orMissing(r.model),
            days: orMissing(r.days),
            through: orMissing(r.dataThrough),
            last: last ? `${last.day} ${money(last.value)}` : MISSING,
            note: r.note ?? '',
          };
        }),
      ),
    );
  },
};

export const showCommand: Command = {
  name: 'show',
  usage: 'ethcast show <id> [--json]',
  summary: 'One forecast with the actual closes so far and its accuracy',
  async run(ctx) {
    const { positionals } = parseCommandArgs(ctx.args, {}, this.usage);
    const [arg, ...extra] = positionals;
    if (arg === undefined || extra.length > 0)
      throw new UsageError(`expected one forecast id (usage: ${this.usage})`);
    const id = /^\d+$/.test(arg) ? Number(arg) : Number.NaN;
    if (!Number.isSafeInteger(id) || id <= 0)
      throw new UsageError(
        `the forecast id must be a positive whole number, not "${arg}" (usage: ${this.usage})`,
      );
    const row = await ctx.client.predicts.byId.query({ id });
    if (ctx.json) return printJson(row);
    console.log(
      `Forecast ${row.id} by ${orMissing(row.usernamePredict)}: ${orMissing(row.symbol)} with ${orMissing(row.model)}, prices through ${orMissing(row.dataThrough)}`,
    );
    if (row.note) console.log(`Note: ${row.note}`);
    console.log(pointsTable(row.points, row.actuals));
    const a = row.accuracy;
    console.log(
      a
        ? `Accuracy over ${a.n} day(s): MAE ${money(a.mae)}, MAPE ${a.mape.toFixed(2)}%, inside 80% band ${percent(a.coverage80)}, inside 95% band ${percent(a.coverage95)}`
        : 'No actual prices stored for these days yet.',
    );
  },
};
