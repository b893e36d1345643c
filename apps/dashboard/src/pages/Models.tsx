import { useQuery } from '@tanstack/react-query';
import { trpc } from '../api.ts';
import {
  BacktestSource,
  type BacktestSourceInfo,
  kindLabel,
  type ModelInfo,
  ModelQuality,
  PersistenceNote,
  sharedBacktest,
} from '../components/forecast-parts.tsx';
import { ErrorState, Loading, PageHeader } from '../components/ui.tsx';
import { useI18n } from '../i18n.tsx';

export function ModelsPage() {
  const { t } = useI18n();
  const models = useQuery(trpc.models.list.queryOptions());

  if (models.isPending) return <Loading />;
  if (models.isError) return <ErrorState error={models.error} onRetry={() => void models.refetch()} />;

  const bySymbol = new Map<string, ModelInfo[]>();
  for (const m of models.data) bySymbol.set(m.symbol, [...(bySymbol.get(m.symbol) ?? []), m]);

  return (
    <section>
      <PageHeader title={t('models.title')} />
      <p className="lead">{t('models.intro')}</p>
      {models.data.length === 0 && <p className="empty">{t('models.empty')}</p>}
      {[...bySymbol].map(([symbol, list]) => {
        // one backtest behind every card (the usual case) is said once, under the symbol
        const shared = sharedBacktest(list);
        return (
          <section key={symbol} aria-label={symbol}>
            <h2 className="symbol-heading">{symbol}</h2>
            {shared && <BacktestSource source={shared} />}
            <div className="model-grid">
              {list.map((m) => (
                <ModelCard key={m.id} model={m} sharedSource={shared} />
              ))}
            </div>
          </section>
        );
      })}
    </section>
  );
}

function ModelCard({ model, sharedSource }: { model: ModelInfo; sharedSource: BacktestSourceInfo | null }) {
  const { t, day } = useI18n();
  const horizons = Object.keys(model.metrics ?? {})
    .map(Number)
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  return (
    <article className="card model-card">
      <header className="model-head">
        <h3>
          {model.name} {model.isDefault && <span className="badge">{t('forecast.default')}</span>}
        </h3>
        <p className="muted small">
          {kindLabel(t, model.kind)} · {model.version}
        </p>
      </header>
      <ul className="facts">
        <li>{t('models.window', { n: model.window })}</li>
        <li>{t('models.maxHorizon', { n: model.maxHorizon })}</li>
        {model.trainedThrough && <li>{t('models.trainedThrough', { day: day(model.trainedThrough) })}</li>}
      </ul>
      {horizons.length === 0 ? (
        <p className="muted">{t('models.noMetrics')}</p>
      ) : (
        <>
          {model.backtest && !sharedSource && <BacktestSource source={model.backtest} />}
          <PersistenceNote model={model} />
          {horizons.map((h) => {
            const metrics = model.metrics?.[String(h)];
            return metrics ? <ModelQuality key={h} model={model} horizon={h} metrics={metrics} /> : null;
          })}
        </>
      )}
    </article>
  );
}
