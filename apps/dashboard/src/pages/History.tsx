import type { RouterOutputs } from '@ethcast/client';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { trpc } from '../api.ts';
import { DataTable } from '../components/DataTable.tsx';
import { ErrorState, Loading, PageHeader } from '../components/ui.tsx';
import { useI18n } from '../i18n.tsx';
import { Link } from '../router.tsx';
import { useMe } from '../session.ts';

const PAGE_SIZE = 10;

type Scope = 'mine' | 'all';
type Row = RouterOutputs['predicts']['list']['items'][number];

/**
 * The signed-in user's forecasts, newest first, one page at a time (keyset cursors). Admins can switch
 * to everyone's forecasts, with a column saying whose each one is.
 */
export function HistoryPage() {
  const { t, dateTime } = useI18n();
  const scopeId = useId();
  const me = useMe().data;
  const isAdmin = me?.role === 'admin';
  const [scope, setScope] = useState<Scope>('mine');
  const showAll = isAdmin && scope === 'all';
  // cursors[i] is the cursor that loads page i (undefined for the first page)
  const [cursors, setCursors] = useState<(number | undefined)[]>([undefined]);
  const page = cursors.length - 1;
  const cursor = cursors[page];
  const list = useQuery(
    trpc.predicts.list.queryOptions(
      {
        limit: PAGE_SIZE,
        // the server lists everyone's forecasts to an admin who names no user
        ...(isAdmin && !showAll && me ? { userId: me.id } : {}),
        ...(cursor !== undefined ? { cursor } : {}),
      },
      { placeholderData: keepPreviousData },
    ),
  );

  if (list.isPending) return <Loading />;
  if (list.isError) return <ErrorState error={list.error} onRetry={() => void list.refetch()} />;

  const { items, nextCursor } = list.data;
  return (
    <section>
      <PageHeader title={showAll ? t('history.allTitle') : t('history.title')}>
        <div className="header-actions">
          {isAdmin && (
            <div className="inline-field">
              <label htmlFor={scopeId}>{t('history.show')}</label>
              <select
                id={scopeId}
                value={scope}
                onChange={(e) => {
                  setScope(e.target.value as Scope);
                  setCursors([undefined]);
                }}
              >
                <option value="mine">{t('history.scopeMine')}</option>
                <option value="all">{t('history.scopeAll')}</option>
              </select>
            </div>
          )}
          <Link to="/" className="button primary small">
            {t('forecast.submit')}
          </Link>
        </div>
      </PageHeader>
      {items.length === 0 && page === 0 ? (
        <div className="empty">
          <p>{showAll ? t('history.emptyAll') : t('history.empty')}</p>
          <Link to="/">{t('history.makeOne')}</Link>
        </div>
      ) : (
        <>
          <DataTable
            label={showAll ? t('history.allTitle') : t('history.title')}
            className="history-table"
            cards
            rows={items}
            rowKey={(row) => row.id}
            columns={[
              {
                label: '#',
                headClass: 'num id-col',
                cellClass: 'num id-col',
                unlabelled: true,
                cell: (row) => (
                  <Link to={`/forecasts/${row.id}`} aria-label={`${t('history.view')} #${row.id}`}>
                    {row.id}
                  </Link>
                ),
              },
              {
                label: t('history.made'),
                cellClass: 'nowrap made',
                unlabelled: true,
                cell: (row) => <Link to={`/forecasts/${row.id}`}>{dateTime(row.date)}</Link>,
              },
              ...(showAll
                ? [{ label: t('history.user'), cell: (row: Row) => row.usernamePredict ?? t('common.none') }]
                : []),
              { label: t('forecast.symbol'), cell: (row) => row.symbol ?? t('common.none') },
              { label: t('forecast.model'), cell: (row) => row.model ?? t('common.none') },
              {
                label: t('history.horizon'),
                headClass: 'num',
                cellClass: 'num',
                cell: (row) => row.days ?? t('common.none'),
              },
              { label: t('history.note'), cellClass: 'note-cell', cell: (row) => row.note ?? '' },
            ]}
          />
          <nav className="pager" aria-label={t('history.title')}>
            <button
              type="button"
              className="button secondary small"
              disabled={page === 0}
              onClick={() => setCursors((c) => c.slice(0, -1))}
            >
              ← {t('history.prev')}
            </button>
            <span className="muted">{t('history.page', { n: page + 1 })}</span>
            <button
              type="button"
              className="button secondary small"
              disabled={nextCursor === null || list.isPlaceholderData}
              onClick={() => nextCursor !== null && setCursors((c) => [...c, nextCursor])}
            >
              {t('history.next')} →
            </button>
          </nav>
        </>
      )}
    </section>
  );
}
