import type { RouterOutputs } from '@ethcast/client';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { queryClient, trpc } from '../api.ts';
import { DataTable } from '../components/DataTable.tsx';
import { ErrorState, FormError, Loading, Notice, PageHeader } from '../components/ui.tsx';
import { useI18n } from '../i18n.tsx';
import type { MessageKey } from '../messages.ts';

type Job = RouterOutputs['jobs']['list']['jobs'][number];
type Run = NonNullable<Job['lastRun']>;

const outcomeKey = (run: Run | null): MessageKey =>
  !run
    ? 'jobs.never'
    : run.state === 'queued' && run.error
      ? 'jobs.retrying'
      : (`jobs.state.${run.state}` as MessageKey);

/** Operators' view of the scheduled jobs: schedule, next and last run, and a button to run one now. */
export function AdminJobsPage() {
  const { t, dateTime, number } = useI18n();
  const [notice, setNotice] = useState<string | null>(null);
  const jobs = useQuery(trpc.jobs.list.queryOptions(undefined, { refetchInterval: 15_000 }));
  const run = useMutation(
    trpc.jobs.run.mutationOptions({
      onSuccess(result) {
        setNotice(t('jobs.ran', { job: result.job, outcome: t(outcomeKey(result)) }));
        void queryClient.invalidateQueries({ queryKey: trpc.jobs.list.queryKey() });
      },
    }),
  );

  if (jobs.isPending) return <Loading />;
  if (jobs.isError) return <ErrorState error={jobs.error} onRetry={() => void jobs.refetch()} />;
  return (
    <section>
      <PageHeader title={t('jobs.title')} />
      <p className="lead">{t('jobs.intro')}</p>
      {!jobs.data.enabled && <p className="warning">{t('jobs.disabled')}</p>}
      <Notice message={notice} />
      <FormError error={run.error} fields={[]} />
      <DataTable
        label={t('jobs.title')}
        className="stack-table jobs-table"
        cards
        rows={jobs.data.jobs}
        rowKey={(job) => job.name}
        columns={[
          {
            label: t('jobs.job'),
            cellClass: 'job-name',
            cell: (job) => (
              <span>
                <code>{job.name}</code>
                <span className="muted small job-about">{t(`jobs.about.${job.name}` as MessageKey)}</span>
              </span>
            ),
          },
          {
            label: t('jobs.schedule'),
            cell: (job) => (job.schedule ? <code>{job.schedule}</code> : t('jobs.off')),
          },
          {
            label: t('jobs.next'),
            cell: (job) => (job.nextRunAt ? dateTime(job.nextRunAt) : t('common.none')),
          },
          {
            label: t('jobs.last'),
            cell: ({ lastRun: last }) => (
              <span>
                {last ? dateTime(last.startedAt ?? last.queuedAt) : t('common.none')}
                {last && (
                  <span className="muted small job-about">
                    {t(last.trigger === 'manual' ? 'jobs.byHand' : 'jobs.scheduled', {
                      name: last.requestedBy ?? '',
                      n: last.attempts,
                    })}
                  </span>
                )}
              </span>
            ),
          },
          {
            label: t('jobs.duration'),
            cell: ({ lastRun: last }) =>
              last?.durationMs != null
                ? t('jobs.seconds', { s: number(last.durationMs / 1000, 1) })
                : t('common.none'),
          },
          {
            label: t('jobs.outcome'),
            cell: ({ lastRun: last }) => (
              <span className={`badge state-${last?.state ?? 'never'}`}>{t(outcomeKey(last))}</span>
            ),
          },
        ]}
        detail={{
          className: 'error-cell',
          // The server words a job's error in English and gives no reason code to translate it by.
          cell: ({ lastRun: last }) =>
            last?.error ? (
              <>
                <span className="error-label">{t('jobs.error')}:</span> <span lang="en">{last.error}</span>
              </>
            ) : null,
        }}
        actions={{
          label: t('admin.actions'),
          cell: (job) => (
            <button
              type="button"
              className="button secondary small"
              disabled={run.isPending || !jobs.data.enabled}
              onClick={() => {
                setNotice(null);
                run.mutate({ name: job.name });
              }}
            >
              {run.isPending && run.variables?.name === job.name ? t('jobs.running') : t('jobs.runNow')}
            </button>
          ),
        }}
      />
    </section>
  );
}
