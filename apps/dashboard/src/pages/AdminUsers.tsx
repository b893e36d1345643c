import type { RouterOutputs } from '@ethcast/client';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useId, useState } from 'react';
import { client, trpc } from '../api.ts';
import { ConfirmDelete, DeleteButton, useDeletion } from '../components/confirm.tsx';
import { DataTable } from '../components/DataTable.tsx';
import { ErrorState, ListStates, LoadMore, Notice, PageHeader } from '../components/ui.tsx';
import { useCursorList } from '../components/use-cursor-list.ts';
import { useI18n } from '../i18n.tsx';
import type { Me } from '../session.ts';

type User = RouterOutputs['users']['list']['items'][number];
type Role = User['role'];

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

export function AdminUsersPage({ me }: { me: Me }) {
  const { t, dateTime } = useI18n();
  const searchId = useId();
  const [search, setSearch] = useState('');
  const term = useDebounced(search.trim(), 250);
  const [notice, setNotice] = useState<string | null>(null);
  const deletion = useDeletion<User>();

  const input = { limit: 50, ...(term ? { search: term } : {}) };
  const {
    query: users,
    rows,
    invalidate,
  } = useCursorList(
    { list: trpc.users.list.infiniteQueryKey(input), all: trpc.users.list.pathKey() },
    (cursor) => client.users.list.query({ ...input, ...cursor }),
  );

  const roleLabel = (role: Role) => (role === 'admin' ? t('admin.roleAdmin') : t('admin.roleUser'));

  const update = useMutation(
    trpc.users.update.mutationOptions({
      onSuccess(user) {
        setNotice(t('admin.roleChanged', { name: user.username, role: roleLabel(user.role) }));
        void invalidate();
      },
    }),
  );
  const remove = useMutation(
    trpc.users.delete.mutationOptions({
      onSuccess(user) {
        deletion.close();
        setNotice(t('admin.userDeleted', { name: user.username }));
        void invalidate();
      },
    }),
  );

  return (
    <section>
      <PageHeader title={t('admin.usersTitle')} />
      <div className="toolbar">
        <div className="field inline">
          <label htmlFor={searchId}>{t('admin.search')}</label>
          <input id={searchId} type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
        </div>
      </div>
      <Notice message={notice} />
      {update.error ? <ErrorState error={update.error} /> : null}
      <ListStates query={users} empty={t('admin.noUsers')} isEmpty={rows.length === 0}>
        <DataTable
          label={t('admin.usersTitle')}
          className="stack-table"
          cards
          rows={rows}
          rowKey={(user) => user.id}
          columns={[
            { label: t('admin.id'), cellClass: 'num', cell: (user) => user.id },
            {
              label: t('admin.username'),
              cell: (user) => (
                <span>
                  {user.username} {user.id === me.id && <span className="muted">{t('admin.you')}</span>}
                </span>
              ),
            },
            {
              label: t('admin.role'),
              cell: (user) => (
                <select
                  aria-label={t('admin.roleFor', { name: user.username })}
                  value={user.role}
                  disabled={update.isPending}
                  onChange={(e) =>
                    update.mutate({ id: user.id, role: e.target.value === 'admin' ? 'admin' : 'user' })
                  }
                >
                  <option value="user">{roleLabel('user')}</option>
                  <option value="admin">{roleLabel('admin')}</option>
                </select>
              ),
            },
            { label: t('admin.created'), cell: (user) => dateTime(user.createdAt) },
          ]}
          actions={{
            label: t('admin.actions'),
            cell: (user) => (
              <DeleteButton
                label={t('admin.deleteUser', { name: user.username })}
                onClick={() => deletion.ask(user, remove)}
              />
            ),
          }}
        />
      </ListStates>
      <LoadMore query={users} />
      <ConfirmDelete
        row={deletion.row}
        texts={(user) => ({
          title: t('admin.deleteUser', { name: user.username }),
          message: t('admin.deleteUserConfirm', { name: user.username }),
        })}
        mutation={remove}
        onCancel={deletion.close}
      />
    </section>
  );
}
