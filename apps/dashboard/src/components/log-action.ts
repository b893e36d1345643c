import type { RouterOutputs } from '@ethcast/client';
import type { I18n } from '../i18n.tsx';
import type { MessageKey } from '../messages.ts';

type LogRow = RouterOutputs['logs']['list']['items'][number];
type LogEvent = NonNullable<LogRow['event']>;

/** One text per event code the server reports (packages/server/src/auth/action-events.ts). */
const eventKeys: Record<LogEvent['code'], MessageKey> = {
  register: 'logs.event.register',
  loginSuccess: 'logs.event.loginSuccess',
  loginFailed: 'logs.event.loginFailed',
  logout: 'logs.event.logout',
  adminCreated: 'logs.event.adminCreated',
  demoAdminCreated: 'logs.event.demoAdminCreated',
  adminGranted: 'logs.event.adminGranted',
  legacyTakeover: 'logs.event.legacyTakeover',
  userUpdated: 'logs.event.userUpdated',
  userDeleted: 'logs.event.userDeleted',
  logEdited: 'logs.event.logEdited',
  logDeleted: 'logs.event.logDeleted',
  predictSuccess: 'logs.event.predictSuccess',
  predictFailed: 'logs.event.predictFailed',
  predictUpdated: 'logs.event.predictUpdated',
  predictDeleted: 'logs.event.predictDeleted',
  jobRun: 'logs.event.jobRun',
  pricesImported: 'logs.event.pricesImported',
  pricesSynced: 'logs.event.pricesSynced',
};

/** "password, role=admin" as the server writes the changed fields of a user. */
function changedFields(t: I18n['t'], fields: string): string {
  return fields
    .split(', ')
    .map((field) => {
      if (field === 'username') return t('logs.field.username');
      if (field === 'password') return t('logs.field.password');
      const role = /^role=(admin|user)$/.exec(field)?.[1];
      if (role)
        return t('logs.field.role', { role: t(role === 'admin' ? 'admin.roleAdmin' : 'admin.roleUser') });
      return field;
    })
    .join(', ');
}

/** A log row's action in the reader's language; text the server did not write is shown as stored. */
export function logActionText(t: I18n['t'], row: Pick<LogRow, 'action' | 'event'>): string {
  const event = row.event;
  if (!event) return row.action;
  const params = { ...event.params };
  if (event.code === 'userUpdated') params.fields = changedFields(t, String(params.fields ?? ''));
  if (event.code === 'jobRun') params.state = t(`jobs.state.${params.state}` as MessageKey);
  return t(eventKeys[event.code], params);
}
