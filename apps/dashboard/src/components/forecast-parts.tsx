import type { RouterOutputs } from '@ethcast/client';
import { type I18n, useI18n } from '../i18n.tsx';
import type { MessageKey } from '../messages.ts';
import { type Column, DataTable } from './DataTable.tsx';

export type ModelInfo = RouterOutputs['models']['list'][number];
type Metrics = NonNullable<ModelInfo['metrics']>[string];
export type ForecastPoint = RouterOutputs['predicts']['byId']['points'][number];
export type Actual = RouterOutputs['predicts']['byId']['actuals'][number];

/** The backtest horizon ('1', '7', '30'…) closest to the number of days asked for. */
export function nearestHorizon(model: ModelInfo, days: number): { horizon: number; metrics: Metrics } | null {
  let best: { horizon: number; metrics: Metrics } | null = null;
  for (const [key, metrics] of Object.entries(model.metrics ?? {})) {
    const horizon = Number(key);
    if (!Number.isFinite(horizon)) continue;
    if (!best || Math.abs(horizon - days) < Math.abs(best.horizon - days)) best = { horizon, metrics };
  }
  return best;
}

/** The naive model is persistence itself: its backtest ratio against persistence is 1 by definition. */
export const PERSISTENCE_MODEL = 'naive';

const kindKeys: Record<string, MessageKey> = {
  baseline: 'models.kind.baseline',
  statistical: 'models.kind.statistical',
  neural: 'models.kind.neural',
  ensemble: 'models.kind.ensemble',
};

/** A model's kind in the reader's language; a kind this dashboard does not know yet is shown as sent. */
export function kindLabel(t: I18n['t'], kind: string): string {
  const key = kindKeys[kind];
  return key ? t(key) : kind;
}

export type BacktestSourceInfo = NonNullable<ModelInfo['backtest']>;

/** The same backtest (days scored, training cutoff) behind every model in `models`, or null. */
export function sharedBacktest(models: ModelInfo[]): BacktestSourceInfo | null {
  const sources = models.map((m) => m.backtest).filter((b): b is BacktestSourceInfo => b !== null);
  const [first] = sources;
  if (!first) return null;
  const same = (b: BacktestSourceInfo) =>
    b.from === first.from && b.to === first.to && b.modelsTrainedThrough === first.modelsTrainedThrough;
  return sources.every(same) ? first : null;
}

/**
 * Where backtest numbers come from, in one sentence: the days scored and the training cutoff of the
 * models that were scored (not the version in use, which has seen those days).
 */
export function BacktestSource({ source }: { source: BacktestSourceInfo }) {
  const { t, day } = useI18n();
  const range = { from: day(source.from), to: day(source.to) };
  return (
    <p className="backtest-source">
      {source.modelsTrainedThrough
        ? t('models.backtestTrained', { ...range, through: day(source.modelsTrainedThrough) })
        : t('models.backtestUntrained', range)}
    </p>
  );
}

/** Said once for the naive model instead of comparing persistence with itself at every horizon. */
export function PersistenceNote({ model }: { model: ModelInfo }) {
  const { t } = useI18n();
  if (model.name !== PERSISTENCE_MODEL || !model.metrics) return null;
  return <p className="persistence-note">{t('models.isPersistence')}</p>;
}

/** Backtest metrics in plain words. `mape` from the backtest is a percentage (0–100). */
export function ModelQuality({
  model,
  horizon,
  metrics,
}: {
  model: ModelInfo;
  horizon: number;
  metrics: Metrics;
}) {
  const { t, money, percent } = useI18n();
  const ratio = metrics.maeRatio;
  const isPersistence = model.name === PERSISTENCE_MODEL;
  // persistence compared with itself says nothing: PersistenceNote says once what it is instead
  const verdict = isPersistence
    ? null
    : ratio < 0.98
      ? t('models.beats', { pct: percent(1 - ratio) })
      : ratio > 1.02
        ? t('models.loses', { pct: percent(ratio - 1) })
        : t('models.ties');
  const grade = isPersistence ? 'neutral' : ratio < 0.98 ? 'good' : ratio > 1.02 ? 'bad' : 'neutral';
  return (
    <div className={`quality quality-${grade}`}>
      <p className="quality-title">
        <strong>{t('models.horizon', { h: horizon })}</strong>
        {verdict && (
          <>
            <span className="sr-sep">: </span>
            <span className="verdict">{verdict}</span>
          </>
        )}
      </p>
      <ul>
        <li>{t('models.mae', { mae: money(metrics.mae), mape: percent(metrics.mape / 100, 1) })}</li>
        <li>{t('models.hitRate', { pct: percent(metrics.hitRate) })}</li>
        <li>
          {t('models.coverage', { c80: percent(metrics.coverage80), c95: percent(metrics.coverage95) })}
        </li>
      </ul>
      <span className="visually-hidden">{model.name}</span>
    </div>
  );
}

export function ForecastTable({ points, actuals = [] }: { points: ForecastPoint[]; actuals?: Actual[] }) {
  const { t, day, money } = useI18n();
  const actualByDay = new Map(actuals.map((a) => [a.day, a]));
  const showActuals = actuals.length > 0;
  const num = { headClass: 'num', cellClass: 'num' };
  const actualColumns: Column<ForecastPoint>[] = [
    {
      label: t('table.actual'),
      ...num,
      cell: (p) => {
        const actual = actualByDay.get(p.day);
        return actual ? money(actual.actual) : t('common.none');
      },
    },
    {
      label: t('table.error'),
      headClass: 'num',
      cellClass: (p) => `num ${actualByDay.get(p.day)?.inside80 === false ? 'outside' : ''}`,
      cell: (p) => {
        const actual = actualByDay.get(p.day);
        return actual ? money(actual.error) : t('common.none');
      },
    },
  ];
  return (
    <DataTable
      label={t('table.caption')}
      caption={t('table.caption')}
      className="forecast-table"
      rows={points}
      rowKey={(p) => p.day}
      columns={[
        { label: t('table.day'), rowHeader: true, cellClass: 'nowrap', cell: (p) => day(p.day) },
        { label: t('table.forecast'), ...num, cellClass: 'num strong', cell: (p) => money(p.value) },
        { label: t('table.low80'), ...num, cell: (p) => money(p.lower80) },
        { label: t('table.high80'), ...num, cell: (p) => money(p.upper80) },
        { label: t('table.low95'), ...num, cell: (p) => money(p.lower95) },
        { label: t('table.high95'), ...num, cell: (p) => money(p.upper95) },
        ...(showActuals ? actualColumns : []),
      ]}
    />
  );
}
