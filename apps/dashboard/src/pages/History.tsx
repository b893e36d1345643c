import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { trpc } from '../api.ts';
import { ErrorState, Loading, PageHeader } from '../components/ui.tsx';
import { useI18n } from '../i18n.tsx';
import { Link } from '../router.tsx';

const PAGE_SIZE = 10;

/** The signed-in user's forecasts, newest first, one page at a time (keyset cursors). */
export function HistoryPage() {
  const { t, dateTime } = useI18n();
  // cursors[i] is the cursor that loads page i (undefined for the first page)
  const [cursors, setCursors] = useState<(number | undefined)[]>([undefined]);
  const page = cursors.length - 1;
  const cursor = cursors[page];
  const list = useQuery(
    trpc.predicts.list.queryOptions(
      { limit: PAGE_SIZE, ...(cursor !== undefined ? { cursor } : {}) },
      { placeholderData: keepPreviousData },
    ),
  );

  if (list.isPending) return <Loading />;
  if (list.isError) return <ErrorState error={list.error} onRetry={() => void list.refetch()} />;

  const { items, nextCursor } = list.data;
  return (
    <section>
      <PageHeader title={t('history.title')}>
        <Link to="/" className="button primary small">
          {t('forecast.submit')}
        </Link>
      </PageHeader>
      {items.length === 0 && page === 0 ? (
        <div className="empty">
          <p>{t('history.empty')}</p>
          <Link to="/">{t('history.makeOne')}</Link>
        </div>
      ) : (
        <>
          <div className="table-wrap">
            <table className="history-table">
              <thead>
                <tr>
                  <th scope="col" className="num id-col">
                    #
                  </th>
                  <th scope="col">{t('history.made')}</th>
                  <th scope="col">{t('forecast.symbol')}</th>
                  <th scope="col">{t('forecast.model')}</th>
                  <th scope="col" className="num">
                    {t('history.horizon')}
                  </th>
                  <th scope="col">{t('history.note')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((row) => (
                  <tr key={row.id}>
                    <td className="num id-col">
                      <Link to={`/forecasts/${row.id}`} aria-label={`${t('history.view')} #${row.id}`}>
                        {row.id}
                      </Link>
                    </td>
                    <td className="nowrap made">
                      <Link to={`/forecasts/${row.id}`}>{dateTime(row.date)}</Link>
                    </td>
                    <td data-label={t('forecast.symbol')}>{row.symbol ?? t('common.none')}</td>
                    <td data-label={t('forecast.model')}>{row.model ?? t('common.none')}</td>
                    <td className="num" data-label={t('history.horizon')}>
                      {row.days ?? t('common.none')}
                    </td>
                    <td className="note-cell" data-label={t('history.note')}>
                      {row.note ?? ''}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
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
