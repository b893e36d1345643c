import type { RouterInputs, RouterOutputs } from '@ethcast/client';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { client, errorCode, queryClient, trpc } from '../api.ts';
import { ConfirmDelete, DeleteButton, useDeletion } from '../components/confirm.tsx';
import { DataTable } from '../components/DataTable.tsx';
import { logActionText } from '../components/log-action.ts';
import { Field, FormError, ListStates, LoadMore, Notice, PageHeader } from '../components/ui.tsx';
import { useCursorList } from '../components/use-cursor-list.ts';
import { useI18n, zonedDayBoundary } from '../i18n.tsx';

type LogRow = RouterOutputs['logs']['list']['items'][number];
type LogFilters = Omit<Extract<RouterInputs['logs']['list'], { limit?: number }>, 'cursor' | 'limit'>;
type Draft = { username: string; action: string; from: string; to: string };
const emptyDraft: Draft = { username: '', action: '', from: '', to: '' };

export function AdminLogsPage() {
  const { t, dateTime, timeZone } = useI18n();
  const id = useId();
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const [filters, setFilters] = useState<LogFilters>({});
  const [filterError, setFilterError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [editing, setEditing] = useState<number | null>(null);
  const deletion = useDeletion<LogRow>();

  const input = { limit: 50, ...filters };
  const {
    query: logs,
    rows,
    invalidate,
  } = useCursorList(
    { list: trpc.logs.list.infiniteQueryKey(input), all: trpc.logs.list.pathKey() },
    (cursor) => client.logs.list.query({ ...input, ...cursor }),
  );

  const apply = async (event: FormEvent) => {
    event.preventDefault();
    setFilterError(null);
    const next: LogFilters = {};
    const username = draft.username.trim();
    if (username) {
      try {
        const user = await queryClient.fetchQuery(trpc.users.byUsername.queryOptions({ username }));
        next.userId = user.id;
      } catch (error) {
        setFilterError(
          errorCode(error) === 'NOT_FOUND' ? t('logs.unknownUser', { name: username }) : String(error),
        );
        return;
      }
    }
    if (draft.action.trim()) next.action = draft.action.trim();
    // Day filters mean whole days in the chosen time zone, like the dates shown in the table.
    if (draft.from) next.from = zonedDayBoundary(draft.from, timeZone);
    if (draft.to) next.to = zonedDayBoundary(draft.to, timeZone, true);
    setFilters(next);
  };

  const remove = useMutation(
    trpc.logs.delete.mutationOptions({
      onSuccess(row) {
        deletion.close();
        setNotice(t('logs.deleted', { id: row.id }));
        void invalidate();
      },
    }),
  );

  const set = (key: keyof Draft) => (e: { target: { value: string } }) =>
    setDraft((d) => ({ ...d, [key]: e.target.value }));

  return (
    <section>
      <PageHeader title={t('logs.title')} />
      <form className="filters card" onSubmit={apply} aria-label={t('logs.filters')}>
        <div className="field">
          <label htmlFor={`${id}-user`}>{t('logs.user')}</label>
          <input id={`${id}-user`} value={draft.username} onChange={set('username')} autoComplete="off" />
        </div>
        <div className="field">
          <label htmlFor={`${id}-action`}>{t('logs.action')}</label>
          <input
            id={`${id}-action`}
            value={draft.action}
            onChange={set('action')}
            placeholder="login failed"
            aria-describedby={`${id}-action-hint`}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-from`}>{t('logs.from')}</label>
          <input id={`${id}-from`} type="date" value={draft.from} onChange={set('from')} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-to`}>{t('logs.to')}</label>
          <input id={`${id}-to`} type="date" value={draft.to} onChange={set('to')} />
        </div>
        <div className="filter-actions">
          <button type="submit" className="button primary">
            {t('common.apply')}
          </button>
          <button
            type="button"
            className="button secondary"
            onClick={() => {
              setDraft(emptyDraft);
              setFilters({});
              setFilterError(null);
            }}
          >
            {t('common.clear')}
          </button>
        </div>
        <p className="hint filters-hint" id={`${id}-action-hint`}>
          {t('logs.actionHint')}
        </p>
        {filterError && (
          <p className="form-error" role="alert">
            {filterError}
          </p>
        )}
      </form>
      <Notice message={notice} />
      <ListStates query={logs} empty={t('logs.noRows')} isEmpty={rows.length === 0}>
        <DataTable
          label={t('logs.title')}
          className="logs-table stack-table"
          cards
          rows={rows}
          rowKey={(row) => row.id}
          renderRow={(row) =>
            editing === row.id && (
              <EditLogRow
                row={row}
                onDone={(saved) => {
                  setEditing(null);
                  if (saved) setNotice(t('common.saved'));
                }}
              />
            )
          }
          columns={[
            { label: t('admin.id'), cellClass: 'num log-id', cell: (row) => row.id },
            { label: t('logs.date'), cellClass: 'nowrap log-date', cell: (row) => dateTime(row.date) },
            {
              label: t('logs.user'),
              cellClass: 'log-user',
              cell: (row) => row.usernameLog ?? t('common.none'),
            },
            {
              label: t('logs.userId'),
              cellClass: 'num log-user-id',
              cell: (row) => row.userId ?? t('common.none'),
            },
            {
              label: t('logs.actionField'),
              cellClass: 'log-action',
              cellTitle: (row) => (row.event ? row.action : undefined),
              cell: (row) => logActionText(t, row),
            },
          ]}
          actions={{
            label: t('admin.actions'),
            cell: (row) => (
              <>
                <button
                  type="button"
                  className="button secondary small"
                  aria-label={t('logs.editRow', { id: row.id })}
                  onClick={() => setEditing(row.id)}
                >
                  {t('common.edit')}
                </button>
                <DeleteButton
                  label={t('logs.deleteRow', { id: row.id })}
                  onClick={() => deletion.ask(row, remove)}
                />
              </>
            ),
          }}
        />
      </ListStates>
      <LoadMore query={logs} />
      <ConfirmDelete
        row={deletion.row}
        texts={(row) => ({
          title: t('logs.deleteRow', { id: row.id }),
          message: t('logs.deleteConfirm', { id: row.id }),
        })}
        mutation={remove}
        onCancel={deletion.close}
      />
    </section>
  );
}

function EditLogRow({ row, onDone }: { row: LogRow; onDone(saved: boolean): void }) {
  const { t, dateTime } = useI18n();
  const [usernameLog, setUsernameLog] = useState(row.usernameLog ?? '');
  const [action, setAction] = useState(row.action);
  const update = useMutation(
    trpc.logs.update.mutationOptions({
      async onSuccess() {
        await queryClient.invalidateQueries({ queryKey: trpc.logs.list.pathKey() });
        onDone(true);
      },
    }),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    update.mutate({ id: row.id, usernameLog: usernameLog.trim() || null, action });
  };
  return (
    <tr className="editing">
      <td className="num" data-label={t('admin.id')}>
        {row.id}
      </td>
      <td className="nowrap" data-label={t('logs.date')}>
        {dateTime(row.date)}
      </td>
      <td colSpan={4} className="row-form-cell">
        <form className="row-form" onSubmit={submit} aria-label={t('logs.editRow', { id: row.id })}>
          <Field label={t('logs.usernameLog')} name="usernameLog" error={update.error}>
            {(props) => (
              <input {...props} value={usernameLog} onChange={(e) => setUsernameLog(e.target.value)} />
            )}
          </Field>
          <Field label={t('logs.actionField')} name="action" error={update.error}>
            {(props) => (
              <input {...props} value={action} onChange={(e) => setAction(e.target.value)} required />
            )}
          </Field>
          <div className="row-form-actions">
            <button type="submit" className="button primary small" disabled={update.isPending}>
              {t('common.save')}
            </button>
            <button type="button" className="button secondary small" onClick={() => onDone(false)}>
              {t('common.cancel')}
            </button>
          </div>
          <FormError error={update.error} fields={['usernameLog', 'action']} />
        </form>
      </td>
    </tr>
  );
}
