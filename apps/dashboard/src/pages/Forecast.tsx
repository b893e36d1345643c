import { PageHeader } from '../components/ui.tsx';
import { useI18n } from '../i18n.tsx';

export default function ForecastPage() {
  const { t } = useI18n();
  return (
    <section>
      <PageHeader title={t('forecast.title')} />
      <p className="muted">{t('forecast.prompt')}</p>
    </section>
  );
}
