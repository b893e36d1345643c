import { Component, type ReactNode, type Ref, useId } from 'react';
import { errorCode, fieldErrorsOf, fieldIssuesOf, isApiError } from '../api.ts';
import { fieldIssueText, reasonText } from '../error-text.ts';
import { type I18n, useI18n } from '../i18n.tsx';

export function Loading({ label }: { label?: string }) {
  const { t } = useI18n();
  return (
    <output className="state state-loading" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label ?? t('common.loading')}
    </output>
  );
}

/** One field's errors in the reader's language (the server's English for codes this build lacks). */
export function fieldMessages(error: unknown, name: string, t: I18n['t']): string[] {
  const issues = fieldIssuesOf(error)[name];
  if (!issues?.length) return fieldErrorsOf(error)[name] ?? [];
  const english = fieldErrorsOf(error)[name] ?? [];
  return issues.map((issue, i) => fieldIssueText(t, issue) ?? english[i] ?? issue.code);
}

export function errorMessage(error: unknown, t: I18n['t']): string {
  if (isApiError(error)) {
    // A failed fetch has no server data: say so plainly instead of "Failed to fetch".
    if (!error.data && !error.shape) return t('common.networkError');
    const data = error.data;
    const text = data?.reason ? reasonText(t, data.reason, data.params ?? {}) : null;
    if (!text) return error.message;
    const fields = Object.keys(data?.fieldIssues ?? {});
    if (data?.reason !== 'INVALID_INPUT' || fields.length === 0) return text;
    return `${text}: ${fields.map((name) => `${name} ${fieldMessages(error, name, t).join(', ')}`).join('; ')}`;
  }
  return error instanceof Error ? error.message : String(error);
}

export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useI18n();
  // 401s are handled globally (redirect to sign-in); don't flash an error box meanwhile.
  if (errorCode(error) === 'UNAUTHORIZED') return null;
  return (
    <div className="state state-error" role="alert">
      <p>
        <strong>{t('common.errorTitle')}:</strong> {errorMessage(error, t)}
      </p>
      {onRetry && (
        <button type="button" className="button secondary" onClick={onRetry}>
          {t('common.retry')}
        </button>
      )}
    </div>
  );
}

/** The part of a mutation error that is not about one field (field errors sit next to their fields). */
export function FormError({ error, fields }: { error: unknown; fields: string[] }) {
  const { t } = useI18n();
  if (!error) return null;
  const fieldErrors = fieldErrorsOf(error);
  if (fields.some((f) => fieldErrors[f]?.length)) return null;
  return (
    <p className="form-error" role="alert">
      {errorMessage(error, t)}
    </p>
  );
}

type FieldProps = {
  label: string;
  name: string;
  error?: unknown;
  hint?: string;
  /** a whole sentence found wrong in the browser, before anything is sent (shown instead of `error`) */
  problem?: string | null;
  children: (props: {
    id: string;
    name: string;
    'aria-invalid': boolean;
    'aria-describedby': string | undefined;
  }) => ReactNode;
};

/** A labelled form field that shows the server's messages for `name` right under it. */
export function Field({ label, name, error, hint, problem, children }: FieldProps) {
  const id = useId();
  const { t } = useI18n();
  const messages = problem ? [] : error ? fieldMessages(error, name, t) : [];
  const invalid = messages.length > 0 || !!problem;
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = invalid ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${invalid ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children({ id, name, 'aria-invalid': invalid, 'aria-describedby': describedBy })}
      {hint && (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      )}
      {problem ? (
        <p className="field-error" id={errorId}>
          {problem}
        </p>
      ) : (
        messages.length > 0 && (
          <p className="field-error" id={errorId}>
            {label} {messages.join('; ')}
          </p>
        )
      )}
    </div>
  );
}

export function PageHeader({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="page-header">
      <h1 tabIndex={-1}>{title}</h1>
      {children}
    </div>
  );
}

/** A polite live region for "saved" / "deleted" confirmations. */
export function Notice({ message }: { message: string | null }) {
  return (
    <output className="notice" aria-live="polite">
      {message}
    </output>
  );
}

/** The page's one <main>, target of the skip link. */
export function Main({
  className,
  children,
  mainRef,
}: {
  className: string;
  children: ReactNode;
  mainRef?: Ref<HTMLElement>;
}) {
  return (
    // biome-ignore lint/correctness/useUniqueElementIds: one <main> per page, the skip link's fixed target
    <main id="main" ref={mainRef} className={className} tabIndex={-1}>
      {children}
    </main>
  );
}

/** Shows a render crash as an error message (with a reload button) instead of a blank page. */
export class ErrorBoundary extends Component<{ children: ReactNode; resetKey: string }, { error: unknown }> {
  override state: { error: unknown } = { error: null };

  static getDerivedStateFromError(error: unknown) {
    return { error };
  }

  override componentDidUpdate(previous: { resetKey: string }) {
    if (previous.resetKey !== this.props.resetKey && this.state.error) this.setState({ error: null });
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return <ErrorState error={this.state.error} onRetry={() => window.location.reload()} />;
  }
}

/** "Load more" for an infinite list; hidden when there is nothing more. */
export function LoadMore({
  query,
}: {
  query: { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => Promise<unknown> };
}) {
  const { t } = useI18n();
  if (!query.hasNextPage) return null;
  return (
    <button
      type="button"
      className="button secondary"
      onClick={() => void query.fetchNextPage()}
      disabled={query.isFetchingNextPage}
    >
      {query.isFetchingNextPage ? t('common.loading') : t('common.loadMore')}
    </button>
  );
}

/** A list's loading, error and empty states; `children` (the list itself) once it has rows. */
export function ListStates({
  query,
  empty,
  isEmpty,
  children,
}: {
  query: { isPending: boolean; isError: boolean; error: unknown; refetch: () => Promise<unknown> };
  empty: string;
  isEmpty: boolean;
  children: ReactNode;
}) {
  if (query.isPending) return <Loading />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  if (isEmpty) return <p className="empty">{empty}</p>;
  return children;
}
