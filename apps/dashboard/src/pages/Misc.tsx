import { type ReactNode, useId } from 'react';
import { PageHeader } from '../components/ui.tsx';
import { DEFAULT_TIME_ZONE, useI18n } from '../i18n.tsx';
import { Link } from '../router.tsx';
import { LocaleSelect } from './SignIn.tsx';

/** A page that only says something: a title, a paragraph, and what else `children` adds. */
function MessagePage({ title, body, children }: { title: string; body: string; children?: ReactNode }) {
  return (
    <section>
      <PageHeader title={title} />
      <p>{body}</p>
      {children}
    </section>
  );
}

export function NotFoundPage() {
  const { t } = useI18n();
  return (
    <MessagePage title={t('notFound.title')} body={t('notFound.body')}>
      <p>
        <Link to="/">{t('nav.forecast')}</Link>
      </p>
    </MessagePage>
  );
}

export function ForbiddenPage() {
  const { t } = useI18n();
  return <MessagePage title={t('forbidden.title')} body={t('forbidden.body')} />;
}

const commonZones = [
  DEFAULT_TIME_ZONE,
  'UTC',
  'America/Manaus',
  'America/Fortaleza',
  'America/New_York',
  'America/Los_Angeles',
  'Europe/London',
  'Europe/Lisbon',
  'Asia/Tokyo',
];

export function SettingsPage() {
  const { t, timeZone, setTimeZone, dateTime } = useI18n();
  const id = useId();
  const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const zones = [...new Set([...commonZones, browserZone, timeZone])];
  return (
    <section>
      <PageHeader title={t('settings.title')} />
      <form className="card form-narrow" onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor={`${id}-language`}>{t('settings.language')}</label>
          <LocaleSelect id={`${id}-language`} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-zone`}>{t('settings.timeZone')}</label>
          <select
            id={`${id}-zone`}
            value={timeZone}
            onChange={(e) => setTimeZone(e.target.value)}
            aria-describedby={`${id}-zone-hint`}
          >
            {zones.map((zone) => (
              <option key={zone} value={zone}>
                {zone === browserZone ? t('settings.browserZone', { zone }) : zone}
              </option>
            ))}
          </select>
          <p className="hint" id={`${id}-zone-hint`}>
            {t('settings.timeZoneHint')} {t('settings.example', { date: dateTime(new Date()) })}
          </p>
        </div>
      </form>
    </section>
  );
}
