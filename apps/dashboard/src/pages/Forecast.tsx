import { daysBehind, type RouterOutputs, STALE_AFTER_DAYS } from '@ethcast/client';
import { addDays, isDay } from '@ethcast/days';
import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { queryClient, trpc } from '../api.ts';
import ForecastChart from '../components/ForecastChart.tsx';
import {
  BacktestSource,
  ForecastTable,
  type ModelInfo,
  ModelQuality,
  nearestHorizon,
  PersistenceNote,
} from '../components/forecast-parts.tsx';
import { ErrorState, Field, FormError, Loading, PageHeader } from '../components/ui.tsx';
import { PREFERRED_SYMBOL, useSymbolChoice } from '../components/use-symbol.ts';
import { useI18n } from '../i18n.tsx';
import { Link } from '../router.tsx';

/** How much price history the chart shows before the forecast starts. */
export const HISTORY_DAYS = 120;

export default function ForecastPage() {
  const { t, day } = useI18n();
  const { symbols, symbol, setSymbol } = useSymbolChoice();
  const [modelName, setModelName] = useState('');
  const [days, setDays] = useState('7');
  const [note, setNote] = useState('');
  const symbolId = useId();
  const modelId = useId();

  const models = useQuery(trpc.models.list.queryOptions({ symbol }, { enabled: symbol !== '' }));
  const modelList = models.data ?? [];
  // Preselect the registry's default model for the symbol.
  useEffect(() => {
    if (modelList.length === 0 || modelList.some((m) => m.name === modelName)) return;
    // Without a recorded backtest the server falls back to persistence ('naive'); so does the form.
    const preferred = modelList.find((m) => m.isDefault) ?? modelList.find((m) => m.name === 'naive');
    setModelName((preferred ?? modelList[0])?.name ?? '');
  }, [modelList, modelName]);
  const model: ModelInfo | undefined = modelList.find((m) => m.name === modelName);

  const create = useMutation(
    trpc.predicts.create.mutationOptions({
      onSuccess() {
        void queryClient.invalidateQueries({ queryKey: trpc.predicts.list.pathKey() });
      },
    }),
  );
  const result = create.data;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({
      symbol,
      ...(modelName ? { model: modelName } : {}),
      days: Number(days),
      ...(note.trim() ? { note: note.trim() } : {}),
    });
  };

  if (symbols.isPending) return <Loading />;
  if (symbols.isError) return <ErrorState error={symbols.error} onRetry={() => void symbols.refetch()} />;
  if (symbols.data.length === 0) {
    return (
      <section>
        <PageHeader title={t('forecast.title')} />
        <div className="empty empty-large">
          <h2>{t('forecast.noPrices')}</h2>
          <p>{t('forecast.noPricesBody')}</p>
        </div>
      </section>
    );
  }

  const quality = model ? nearestHorizon(model, Number(days) || 1) : null;
  const maxDays = model?.maxHorizon ?? 365;
  const selectedSymbol = symbols.data.find((s) => s.symbol === symbol);

  return (
    <section>
      <PageHeader title={t('forecast.title')} />
      <div className="forecast-layout">
        <form className="card forecast-form" onSubmit={submit} noValidate>
          <div className="field">
            <label htmlFor={symbolId}>{t('forecast.symbol')}</label>
            <select
              id={symbolId}
              value={symbol}
              onChange={(e) => {
                setSymbol(e.target.value);
                setModelName('');
              }}
            >
              {symbols.data.map((s) => (
                <option key={s.symbol} value={s.symbol}>
                  {s.symbol}
                </option>
              ))}
            </select>
            {selectedSymbol && (
              <p className="hint">{t('forecast.dataThrough', { day: day(selectedSymbol.lastDay) })}</p>
            )}
            {selectedSymbol && <StaleWarning lastDay={selectedSymbol.lastDay} />}
          </div>
          <div className="field">
            <label htmlFor={modelId}>{t('forecast.model')}</label>
            {models.isPending && symbol ? (
              <Loading />
            ) : models.isError ? (
              <ErrorState error={models.error} onRetry={() => void models.refetch()} />
            ) : modelList.length === 0 ? (
              <p className="hint">{t('forecast.noModels', { symbol })}</p>
            ) : (
              <select id={modelId} value={modelName} onChange={(e) => setModelName(e.target.value)}>
                {modelList.map((m) => (
                  <option key={m.id} value={m.name}>
                    {m.name}
                    {m.isDefault ? ` (${t('forecast.default')})` : ''}
                  </option>
                ))}
              </select>
            )}
          </div>
          <Field
            label={t('forecast.days')}
            name="days"
            error={create.error}
            hint={t('forecast.daysHint', { max: maxDays })}
          >
            {(props) => (
              <input
                {...props}
                type="number"
                inputMode="numeric"
                min={1}
                max={maxDays}
                value={days}
                onChange={(e) => setDays(e.target.value)}
                required
              />
            )}
          </Field>
          <Field label={t('forecast.note')} name="note" error={create.error}>
            {(props) => (
              <input {...props} value={note} maxLength={500} onChange={(e) => setNote(e.target.value)} />
            )}
          </Field>
          <FormError error={create.error} fields={['days', 'note']} />
          <button type="submit" className="button primary wide" disabled={create.isPending || !symbol}>
            {create.isPending ? t('forecast.running') : t('forecast.submit')}
          </button>
        </form>
        <aside className="card quality-card" aria-label={t('forecast.quality')}>
          <h2>{t('forecast.quality')}</h2>
          {model && quality ? (
            <>
              {model.backtest && <BacktestSource source={model.backtest} />}
              <PersistenceNote model={model} />
              <ModelQuality model={model} horizon={quality.horizon} metrics={quality.metrics} />
            </>
          ) : (
            <p className="muted">{model ? t('models.noMetrics') : t('forecast.prompt')}</p>
          )}
        </aside>
      </div>

      {create.isPending && <Loading label={t('forecast.running')} />}
      {result && <ForecastResult result={result} />}
    </section>
  );
}

/** Says so when the stored prices stop well before today: the forecast then starts in the past. */
function StaleWarning({ lastDay }: { lastDay: string }) {
  const { t, day } = useI18n();
  const behind = daysBehind(lastDay);
  if (behind < STALE_AFTER_DAYS) return null;
  return <p className="hint stale-warning">{t('forecast.stale', { n: behind, day: day(lastDay) })}</p>;
}

type Created = RouterOutputs['predicts']['create'];

function ForecastResult({ result }: { result: Created }) {
  const { t, day } = useI18n();
  const titleId = useId();
  const symbol = result.symbol ?? PREFERRED_SYMBOL;
  const through = result.dataThrough ?? result.points?.[0]?.day ?? '';
  const closes = useQuery(
    trpc.prices.range.queryOptions(
      { symbol, from: isDay(through) ? addDays(through, -HISTORY_DAYS) : through, to: through },
      { enabled: through !== '' },
    ),
  );
  const points = result.points ?? [];
  return (
    <section className="result" aria-labelledby={titleId}>
      <div className="page-header">
        <h2 id={titleId}>{t('forecast.result', { symbol, model: result.model ?? '' })}</h2>
        <Link to={`/forecasts/${result.id}`} className="button secondary small">
          {t('forecast.open')}
        </Link>
      </div>
      <p className="muted">
        {t('forecast.saved')} {through && t('forecast.dataThrough', { day: day(through) })}
      </p>
      {through && <StaleWarning lastDay={through} />}
      <div className="card chart-card">
        {closes.isPending ? (
          <Loading />
        ) : closes.isError ? (
          <ErrorState error={closes.error} onRetry={() => void closes.refetch()} />
        ) : (
          <ForecastChart
            closes={closes.data.candles.map((c) => ({ day: c.day, close: c.close }))}
            points={points}
            label={t('forecast.chartLabel')}
          />
        )}
      </div>
      <ForecastTable points={points} />
    </section>
  );
}
