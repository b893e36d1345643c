import type { RouterOutputs } from '@ethcast/client';
import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { trpc } from '../api.ts';
import { DataTable } from '../components/DataTable.tsx';
import { ErrorState, Loading, PageHeader } from '../components/ui.tsx';
import { PREFERRED_SYMBOL, useSymbolChoice } from '../components/use-symbol.ts';
import { useI18n } from '../i18n.tsx';

type Record = RouterOutputs['models']['trackRecord'];
type ModelRecord = Record['models'][number];
type Row = ModelRecord['overall'];

/** How each model's served forecasts turned out, from the scores the score-forecasts job stores. */
export function TrackRecordPage() {
  const { t } = useI18n();
  const symbolId = useId();
  const { symbols, symbol, setSymbol } = useSymbolChoice();
  const record = useQuery(trpc.models.trackRecord.queryOptions({ symbol }, { enabled: symbol !== '' }));

  if (symbols.isError) return <ErrorState error={symbols.error} onRetry={() => void symbols.refetch()} />;
  return (
    <section>
      <PageHeader title={t('track.title')} />
      <p className="lead">{t('track.intro')}</p>
      {(symbols.data?.length ?? 0) > 1 && (
        <div className="field inline-field">
          <label htmlFor={symbolId}>{t('track.symbol')}</label>
          <select id={symbolId} value={symbol} onChange={(e) => setSymbol(e.target.value)}>
            {symbols.data?.map((s) => (
              <option key={s.symbol} value={s.symbol}>
                {s.symbol}
              </option>
            ))}
          </select>
        </div>
      )}
      {symbols.isPending || (symbol !== '' && record.isPending) ? (
        <Loading />
      ) : record.isError ? (
        <ErrorState error={record.error} onRetry={() => void record.refetch()} />
      ) : !record.data || record.data.models.length === 0 ? (
        <p className="empty">{t('track.empty', { symbol: symbol || PREFERRED_SYMBOL })}</p>
      ) : (
        record.data.models.map((m) => <ModelSection key={m.model} record={record.data} model={m} />)
      )}
    </section>
  );
}

function ModelSection({ record, model }: { record: Record; model: ModelRecord }) {
  const { t, percent, number, money } = useI18n();
  const o = model.overall;
  const span = (p: Row['coverage80']) => `${percent(p.observed)} (${percent(p.low)}–${percent(p.high)})`;
  return (
    <article className="card track-card" aria-label={model.model}>
      <header className="model-head">
        <h2>{model.model}</h2>
        <p className="muted small">
          {t('track.counts', { forecasts: o.forecasts, origins: o.origins, n: o.n })}
        </p>
      </header>
      {model.enough ? (
        <p>
          {o.maeRatio === null
            ? t('track.noPersistence')
            : o.maeRatio < 0.995
              ? t('track.beats', { pct: percent(1 - o.maeRatio) })
              : o.maeRatio > 1.005
                ? t('track.loses', { pct: percent(o.maeRatio - 1) })
                : t('track.ties')}{' '}
          {t('track.coverage', { c80: percent(o.coverage80.observed), c95: percent(o.coverage95.observed) })}
        </p>
      ) : (
        <p className="warning" role="note">
          {t('track.tooFew', { n: o.origins, min: record.minOrigins })}
        </p>
      )}
      <div className="track-body">
        <CalibrationPlot points={model.calibration} label={t('track.plotLabel', { model: model.model })} />
        <DataTable
          label={t('track.tableLabel', { model: model.model })}
          className="table numeric"
          rows={[o, ...model.horizons]}
          rowKey={(r) => r.horizon ?? 'all'}
          rowClass={(r) => (r.horizon === null ? 'total-row' : undefined)}
          columns={[
            { label: t('track.days'), rowHeader: true, cell: (r) => r.horizon ?? t('track.allDays') },
            {
              label: t('track.scored'),
              cell: (r) => (
                <>
                  {r.origins}
                  {!r.enough && (
                    <span className="muted" title={t('track.fewTitle')}>
                      {' '}
                      *
                    </span>
                  )}
                </>
              ),
            },
            { label: t('track.mae'), cell: (r) => money(r.mae) },
            {
              label: t('track.ratio'),
              cell: (r) => (r.maeRatio === null ? t('common.none') : number(r.maeRatio, 3)),
            },
            { label: t('track.cov80'), cell: (r) => span(r.coverage80) },
            { label: t('track.cov95'), cell: (r) => span(r.coverage95) },
            { label: t('track.width80'), cell: (r) => percent(r.relativeWidth80, 1) },
          ]}
        />
      </div>
      <p className="muted small">{t('track.footnote', { min: record.minOrigins })}</p>
    </article>
  );
}

/** Nominal coverage (x) against observed coverage with its 95 % interval (y); the diagonal is perfect. */
function CalibrationPlot({ points, label }: { points: ModelRecord['calibration']; label: string }) {
  const { t, percent } = useI18n();
  const size = 180;
  const pad = 30;
  const lo = 0.5;
  const scale = (v: number) => pad + ((Math.max(lo, v) - lo) / (1 - lo)) * (size - 2 * pad);
  const y = (v: number) => size - scale(v);
  return (
    <figure className="calibration-plot">
      <svg viewBox={`0 0 ${size} ${size}`} role="img" aria-label={label}>
        <rect x={pad} y={pad} width={size - 2 * pad} height={size - 2 * pad} className="plot-frame" />
        <line x1={scale(lo)} y1={y(lo)} x2={scale(1)} y2={y(1)} className="plot-diagonal" />
        {[0.5, 0.75, 1].map((v) => (
          <g key={v}>
            <text x={scale(v)} y={size - pad + 14} textAnchor="middle" className="plot-tick">
              {percent(v)}
            </text>
            <text x={pad - 4} y={y(v) + 4} textAnchor="end" className="plot-tick">
              {percent(v)}
            </text>
          </g>
        ))}
        {points.map((p) => (
          <g key={p.nominal} className="plot-point">
            <line x1={scale(p.nominal)} y1={y(p.low)} x2={scale(p.nominal)} y2={y(p.high)} />
            <circle cx={scale(p.nominal)} cy={y(p.observed)} r={4}>
              <title>
                {t('track.plotPoint', { nominal: percent(p.nominal), observed: percent(p.observed) })}
              </title>
            </circle>
          </g>
        ))}
      </svg>
      <figcaption className="muted small">{t('track.plotCaption')}</figcaption>
    </figure>
  );
}
