import { addDays, dayNumber, isDay, todayNumber } from '@ethcast/days';
import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { errorCode, queryClient, trpc } from '../api.ts';
import { ConfirmDialog } from '../components/confirm.tsx';
import ForecastChart from '../components/ForecastChart.tsx';
import { ForecastTable } from '../components/forecast-parts.tsx';
import {
  ErrorState,
  errorMessage,
  Field,
  FormError,
  Loading,
  Notice,
  PageHeader,
} from '../components/ui.tsx';
import { useI18n } from '../i18n.tsx';
import { Link, navigate } from '../router.tsx';
import { HISTORY_DAYS } from './Forecast.tsx';

export default function ForecastDetailPage({ id }: { id: number }) {
  const { t, dateTime, day, money, percent } = useI18n();
  const forecast = useQuery(trpc.predicts.byId.queryOptions({ id }));
  const row = forecast.data;
  const points = row?.points ?? [];
  const firstDay = points[0]?.day;
  // Forecasts taken over from the legacy backend never recorded the last price day they used: their
  // chart's history ends the day before their first forecast day.
  const historyEnd =
    row?.dataThrough ?? (firstDay && isDay(firstDay) ? addDays(firstDay, -1) : (firstDay ?? ''));
  const closes = useQuery(
    trpc.prices.range.queryOptions(
      {
        symbol: row?.symbol ?? 'ETH-USD',
        from: isDay(historyEnd) ? addDays(historyEnd, -HISTORY_DAYS) : historyEnd,
        to: historyEnd,
      },
      { enabled: !!row?.symbol && historyEnd !== '' },
    ),
  );

  // Without actuals, either the first forecast day has not closed yet, or it has and the stored prices
  // stop before it: then waiting changes nothing until someone imports or syncs newer prices.
  const firstNumber = firstDay ? dayNumber(firstDay) : null;
  const firstDayClosed = firstNumber !== null && firstNumber <= todayNumber(new Date()) - 1;
  const latest = useQuery(
    trpc.prices.latest.queryOptions(
      { symbol: row?.symbol ?? 'ETH-USD' },
      { enabled: !!row?.symbol && !row.accuracy && firstDayClosed, retry: false },
    ),
  );
  const storedThrough = latest.data?.day;

  const [note, setNote] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  useEffect(() => {
    if (row) setNote(row.note ?? '');
  }, [row]);

  const update = useMutation(
    trpc.predicts.update.mutationOptions({
      onSuccess() {
        setNotice(t('common.saved'));
        void queryClient.invalidateQueries({ queryKey: trpc.predicts.pathKey() });
      },
    }),
  );
  const remove = useMutation(
    trpc.predicts.delete.mutationOptions({
      onSuccess() {
        setConfirming(false);
        queryClient.removeQueries({ queryKey: trpc.predicts.byId.queryKey({ id }) });
        void queryClient.invalidateQueries({ queryKey: trpc.predicts.list.pathKey() });
        navigate('/forecasts?deleted=1');
      },
    }),
  );

  const title = t('detail.title', { id });
  if (forecast.isPending) return <Loading />;
  if (forecast.isError) {
    return (
      <section>
        <PageHeader title={title} />
        {errorCode(forecast.error) === 'NOT_FOUND' ? (
          <p className="empty">{errorMessage(forecast.error, t)}</p>
        ) : (
          <ErrorState error={forecast.error} onRetry={() => void forecast.refetch()} />
        )}
        <Link to="/forecasts">← {t('nav.history')}</Link>
      </section>
    );
  }
  const data = forecast.data;
  const accuracy = data.accuracy;

  const saveNote = (event: FormEvent) => {
    event.preventDefault();
    setNotice(null);
    update.mutate({ id, note: note.trim() || null });
  };

  return (
    <section>
      <p className="breadcrumb">
        <Link to="/forecasts">← {t('nav.history')}</Link>
      </p>
      <PageHeader title={title}>
        <button
          type="button"
          className="button danger small"
          onClick={() => {
            remove.reset();
            setConfirming(true);
          }}
        >
          {t('detail.delete')}
        </button>
      </PageHeader>
      <p className="muted">
        {data.symbol ?? t('common.none')} · {data.model ?? t('common.none')} · {t('history.horizon')}:{' '}
        {data.days ?? t('common.none')} ·{' '}
        {t('detail.made', { date: dateTime(data.date), user: data.usernamePredict ?? t('common.none') })} ·{' '}
        {t('forecast.dataThrough', { day: day(data.dataThrough) })}
      </p>

      <div className="card chart-card">
        {closes.isPending && closes.fetchStatus !== 'idle' ? (
          <Loading />
        ) : closes.isError ? (
          <ErrorState error={closes.error} onRetry={() => void closes.refetch()} />
        ) : (
          <ForecastChart
            closes={(closes.data?.candles ?? []).map((c) => ({ day: c.day, close: c.close }))}
            points={points}
            actuals={data.actuals}
            label={t('forecast.chartLabel')}
          />
        )}
      </div>

      <div className="detail-grid">
        <section className="card" aria-label={t('detail.accuracy')}>
          <h2>{t('detail.accuracy')}</h2>
          {accuracy ? (
            <p>
              {accuracy.coverage80 === null && accuracy.coverage95 === null
                ? t('detail.accuracyNoBands', {
                    n: accuracy.n,
                    mae: money(accuracy.mae),
                    mape: percent(accuracy.mape / 100, 1),
                  })
                : t('detail.accuracyBody', {
                    n: accuracy.n,
                    mae: money(accuracy.mae),
                    mape: percent(accuracy.mape / 100, 1),
                    c80: percent(accuracy.coverage80),
                    c95: percent(accuracy.coverage95),
                  })}
            </p>
          ) : (
            <p className="muted">
              {firstDayClosed && storedThrough && firstDay && storedThrough < firstDay
                ? t('detail.pricesBehind', { day: day(storedThrough) })
                : t('detail.noActuals', { day: day(firstDay) })}
            </p>
          )}
        </section>
        <form className="card" onSubmit={saveNote}>
          <Field label={t('detail.note')} name="note" error={update.error}>
            {(props) => (
              <textarea
                {...props}
                value={note}
                maxLength={500}
                rows={3}
                onChange={(e) => setNote(e.target.value)}
              />
            )}
          </Field>
          <FormError error={update.error} fields={['note']} />
          <div className="form-row">
            <button type="submit" className="button primary small" disabled={update.isPending}>
              {t('detail.saveNote')}
            </button>
            <Notice message={notice} />
          </div>
        </form>
      </div>

      <ForecastTable points={points} actuals={data.actuals} />

      <ConfirmDialog
        open={confirming}
        title={t('detail.delete')}
        message={t('detail.deleteConfirm', { id })}
        confirmLabel={t('common.delete')}
        busy={remove.isPending}
        error={remove.error}
        onCancel={() => setConfirming(false)}
        onConfirm={() => remove.mutate({ id })}
      />
    </section>
  );
}
